-- A campaign may narrow the organization's calling window (both must hold), and its calls run at a
-- priority of its own (low unless it says otherwise, so single API calls go first).
alter table campaigns add column window_start varchar(5);
alter table campaigns add column window_end varchar(5);
-- the window's days as three-letter names, comma-separated ("mon,tue,wed,thu,fri")
alter table campaigns add column window_days varchar(32);
alter table campaigns add column priority varchar(8) not null default 'low';
