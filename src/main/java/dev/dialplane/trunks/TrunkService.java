package dev.dialplane.trunks;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.crypto.SecretBox;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SIP trunks: an organization's own, and the operator's shared ones that every organization's
 * numbers may use (read-only for them; managed through the admin API).
 */
@Service
public class TrunkService {

    private final TrunkRepository trunks;
    private final TrunkUsage usage;
    private final SecretBox secrets;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    TrunkService(
            TrunkRepository trunks,
            TrunkUsage usage,
            SecretBox secrets,
            ApplicationEventPublisher events,
            Clock clock) {
        this.trunks = trunks;
        this.usage = usage;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public SipTrunk create(Tenant tenant, TrunkDraft draft) {
        return create(tenant, UUID.randomUUID(), draft);
    }

    /** Creates a trunk with a chosen id (the sandbox's documented demo trunk). */
    @Transactional
    public SipTrunk create(Tenant tenant, UUID id, TrunkDraft draft) {
        return insert(id, tenant.organizationId(), draft);
    }

    /** A trunk the organization may use: its own or a shared one. */
    public SipTrunk get(Tenant tenant, UUID id) {
        return visible(tenant, id).trunk();
    }

    public Page<SipTrunk> list(Tenant tenant, PageRequest page) {
        return page(trunks.listVisible(tenant.organizationId(), page), page);
    }

    @Transactional
    public SipTrunk update(Tenant tenant, UUID id, TrunkDraft draft) {
        return replace(owned(tenant, id), draft);
    }

    @Transactional
    public void delete(Tenant tenant, UUID id) {
        remove(owned(tenant, id).trunk());
    }

    /** A trunk with its decrypted credentials, in one read: what a dial needs. */
    public record DialingTrunk(SipTrunk trunk, SipCredentials credentials) {}

    /**
     * The trunk and its credentials decrypted for one dial. Callers must not log or store them.
     *
     * @throws SecretBox.SecretUnreadable when the master key that encrypted the password is gone
     */
    public DialingTrunk forDialing(Tenant tenant, UUID id) {
        var row = visible(tenant, id);
        // a trunk stored in LiveKit carries its own credentials there: nothing to decrypt
        var credentials = row.trunk().livekitTrunkId() != null ? new SipCredentials(null, null) : credentials(row);
        return new DialingTrunk(row.trunk(), credentials);
    }

    private SipCredentials credentials(TrunkRepository.Row row) {
        var id = row.trunk().id();
        var password = row.passwordCiphertext() == null ? null : secrets.decrypt(row.passwordCiphertext(), context(id));
        return new SipCredentials(row.trunk().username(), password);
    }

    // ---- shared trunks (admin API) ---------------------------------------------------------------

    @Transactional
    public SipTrunk createShared(TrunkDraft draft) {
        return insert(UUID.randomUUID(), null, draft);
    }

    public SipTrunk getShared(UUID id) {
        return shared(id).trunk();
    }

    public Page<SipTrunk> listShared(PageRequest page) {
        return page(trunks.listShared(page), page);
    }

    @Transactional
    public SipTrunk updateShared(UUID id, TrunkDraft draft) {
        return replace(shared(id), draft);
    }

    @Transactional
    public void deleteShared(UUID id) {
        remove(shared(id).trunk());
    }

    // ----------------------------------------------------------------------------------------------

    private SipTrunk insert(UUID id, @Nullable UUID organizationId, TrunkDraft draft) {
        checkReachable(draft);
        var now = clock.instant();
        var password = draft.replacePassword() ? draft.password() : null;
        var trunk = trunkOf(id, organizationId, draft, password != null, now, now);
        trunks.insert(trunk, encrypt(id, password));
        return trunk;
    }

    private SipTrunk replace(TrunkRepository.Row current, TrunkDraft draft) {
        checkReachable(draft);
        var id = current.trunk().id();
        var ciphertext = draft.replacePassword() ? encrypt(id, draft.password()) : current.passwordCiphertext();
        var trunk = trunkOf(
                id,
                current.trunk().organizationId(),
                draft,
                ciphertext != null,
                current.trunk().createdAt(),
                clock.instant());
        trunks.update(trunk, ciphertext);
        events.publishEvent(new TrunkLimitsChanged(id));
        return trunk;
    }

    private void remove(SipTrunk trunk) {
        var numbers = usage.numbersUsingTrunk(trunk.id());
        if (!numbers.isEmpty()) {
            throw inUse(trunk.shared() ? numbers.size() + " phone numbers" : numbers.toString());
        }
        try {
            trunks.delete(trunk.id());
        } catch (DataIntegrityViolationException e) {
            throw inUse("a phone number");
        }
    }

    private TrunkRepository.Row visible(Tenant tenant, UUID id) {
        return trunks.findVisible(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    private TrunkRepository.Row owned(Tenant tenant, UUID id) {
        var row = visible(tenant, id);
        if (row.trunk().shared()) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "SHARED_TRUNK",
                    "SIP trunk " + id + " is shared by the operator; only the admin API changes it.");
        }
        return row;
    }

    private TrunkRepository.Row shared(UUID id) {
        return trunks.findShared(id)
                .orElseThrow(() -> ApiException.notFound("SIP_TRUNK_NOT_FOUND", "No shared SIP trunk " + id + "."));
    }

    private static Page<SipTrunk> page(List<TrunkRepository.Row> rows, PageRequest page) {
        return Page.of(
                rows.stream().map(TrunkRepository.Row::trunk).toList(),
                page.limit(),
                t -> new Cursor(t.createdAt(), t.id()));
    }

    private @Nullable String encrypt(UUID trunkId, @Nullable String password) {
        return password == null ? null : secrets.encrypt(password, context(trunkId));
    }

    private static String context(UUID trunkId) {
        return "sip_trunks/" + trunkId + "/password";
    }

    private static void checkReachable(TrunkDraft draft) {
        if (draft.address() == null && draft.livekitTrunkId() == null) {
            throw ApiException.invalid(
                    "address",
                    "is required unless livekit_trunk_id names a trunk stored in LiveKit: give your carrier's SIP host[:port]");
        }
    }

    private static SipTrunk trunkOf(
            UUID id,
            @Nullable UUID organizationId,
            TrunkDraft draft,
            boolean hasPassword,
            Instant createdAt,
            Instant updatedAt) {
        return new SipTrunk(
                id,
                organizationId,
                draft.name(),
                draft.address(),
                draft.transport(),
                draft.username(),
                hasPassword,
                draft.destinationCountry(),
                draft.livekitTrunkId(),
                draft.cpsLimit(),
                draft.maxChannels(),
                createdAt,
                updatedAt);
    }

    private static ApiException inUse(String numbers) {
        return ApiException.conflict(
                "SIP_TRUNK_IN_USE",
                "The SIP trunk is still used by " + numbers
                        + "; move those numbers to another trunk or delete them first.");
    }

    public static ApiException notFound(UUID id) {
        return ApiException.notFound("SIP_TRUNK_NOT_FOUND", "No SIP trunk " + id + " in your organization.");
    }
}
