-- While targets are being appended, a campaign whose contacts are all done must not complete: the
-- upload holds this lease (renewed with each batch; a node that died mid-upload lets it lapse).
alter table campaigns add column intake_until timestamp with time zone;
-- GET /campaigns/{id}/contacts pages by row number
create unique index campaign_contacts_rows on campaign_contacts (campaign_id, row_number);
