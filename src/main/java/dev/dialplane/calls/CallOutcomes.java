package dev.dialplane.calls;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.ConfigurationProblem;
import dev.dialplane.common.Page;
import dev.dialplane.compliance.DncSource;
import dev.dialplane.compliance.DoNotCallList;
import dev.dialplane.orgs.Tenant;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the agent learned about a call: the call-scoped report token its dispatch metadata carries,
 * the reports themselves ({@code POST /calls/{id}/outcome}) and the call as clients see it with
 * them. A report merges into what is known: each field it gives replaces that field's earlier
 * value, the others stay; each report is also kept as an event of the call, and announced as
 * {@code call.outcome_reported}. A {@code do_not_call} disposition puts the callee's number on the
 * organization's do-not-call list.
 */
@Service
public class CallOutcomes {

    /** Report tokens start with this, so a bearer value is told from an API key ({@code dp_…}) at once. */
    public static final String TOKEN_PREFIX = "dprt_";
    /** How long after its call ended a report token still works. */
    public static final Duration TOKEN_VALIDITY_AFTER_END = Duration.ofHours(24);
    /** The base URL agents reach this API at ({@code DIALPLANE_PUBLIC_URL}); unset: this server on localhost. */
    static final String PUBLIC_URL = "dialplane.public-url";

    private final CallRepository calls;
    private final CallEventLog history;
    private final CallOutcomeRepository outcomes;
    private final ApplicationEventPublisher events;
    private final DoNotCallList doNotCall;
    private final Environment environment;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    CallOutcomes(
            CallRepository calls,
            CallEventLog history,
            CallOutcomeRepository outcomes,
            ApplicationEventPublisher events,
            DoNotCallList doNotCall,
            Environment environment,
            Clock clock) {
        this.calls = calls;
        this.history = history;
        this.outcomes = outcomes;
        this.events = events;
        this.doNotCall = doNotCall;
        this.environment = environment;
        this.clock = clock;
        var configured = environment.getProperty(PUBLIC_URL);
        if (configured != null && !configured.isBlank() && !isHttpUrl(configured.strip())) {
            throw new ConfigurationProblem(
                    "DIALPLANE_PUBLIC_URL (" + PUBLIC_URL + ") is '" + configured
                            + "', not an absolute http or https URL; agents could not report calls' outcomes to it.",
                    "Set it to the base URL your agents reach this API at, e.g. https://dialplane.example.com,"
                            + " or leave it unset for http://localhost:<port>.");
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            var uri = new URI(value);
            return uri.isAbsolute()
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getQuery() == null
                    && uri.getFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * How the agent of a call being dialed reports: the absolute URL of its outcome route and a new
     * token for it (256 random bits). Only the token's hash is stored; a token issued earlier for
     * the call (an earlier dial attempt) stops working.
     */
    public ReportAccess issueReportAccess(UUID callId) {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        var token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        outcomes.saveTokenHash(callId, hash(token), clock.instant());
        return new ReportAccess(reportUrl(callId), token);
    }

    /** Where an agent reports: {@code dialplane.public-url} (else this server on localhost) + the route. */
    String reportUrl(UUID callId) {
        var configured = environment.getProperty(PUBLIC_URL);
        String base;
        if (configured != null && !configured.isBlank()) {
            base = configured.strip();
        } else {
            base = "http://localhost:"
                    + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/calls/" + callId + "/outcome";
    }

    /**
     * The organization a report token acts for, on the call at {@code callPath} only.
     *
     * @throws ApiException 401 for a token that is no call's (or is outdated) or whose call ended
     *     more than {@link #TOKEN_VALIDITY_AFTER_END} ago; 404 {@code CALL_NOT_FOUND} for another
     *     call's token, so one call's agent can never touch another call
     */
    public Tenant authenticateToken(String callPath, String token) {
        var presented = hash(token);
        UUID callId = null;
        try {
            callId = UUID.fromString(callPath);
        } catch (IllegalArgumentException notAnId) {
            // no call has this id: a genuine token is for some other call
        }
        var holder =
                callId == null ? Optional.<CallOutcomeRepository.TokenHolder>empty() : outcomes.tokenHolder(callId);
        if (holder.isPresent()
                && MessageDigest.isEqual(
                        holder.get().tokenHash().getBytes(StandardCharsets.US_ASCII),
                        presented.getBytes(StandardCharsets.US_ASCII))) {
            var endedAt = holder.get().endedAt();
            if (endedAt != null && !clock.instant().isBefore(endedAt.plus(TOKEN_VALIDITY_AFTER_END))) {
                throw new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "REPORT_TOKEN_EXPIRED",
                        "This report token expired: it is valid until "
                                + TOKEN_VALIDITY_AFTER_END.toHours()
                                + " h after its call ended. Report with the organization's API key instead.");
            }
            return new Tenant(holder.get().organizationId());
        }
        if (outcomes.tokenExists(presented)) {
            throw ApiException.notFound("CALL_NOT_FOUND", "No call " + callPath + " for this report token.");
        }
        throw new ApiException(
                HttpStatus.UNAUTHORIZED,
                "UNAUTHORIZED",
                "The API key or report token is not valid; send 'Authorization: Bearer <report token or API key>'.");
    }

    /**
     * Stores a report about the tenant's call: each field it gives replaces that field's earlier
     * value. Kept as an event of the call and announced to the organization's webhooks, in one
     * transaction with the call's row locked (its events stay numbered without gaps).
     *
     * @param reporter how the report was authenticated, for the call's event
     */
    @Transactional
    public CallView report(Tenant tenant, UUID callId, OutcomeReport report, String reporter) {
        var call = calls.findForUpdate(callId)
                .filter(c -> c.organizationId().equals(tenant.organizationId()))
                .orElseThrow(() -> CallService.notFound(callId));
        var now = clock.instant();
        var outcome = CallOutcome.merge(callId, outcomes.find(callId).orElse(null), report, now);
        outcomes.save(outcome);
        var sequence = history.nextSequence(callId);
        var cause = "outcome reported (" + reporter + "): " + report.describe();
        history.insertEvent(new CallEvent(
                callId,
                sequence,
                call.status(),
                cause.length() > 500 ? cause.substring(0, 499) + "…" : cause,
                null,
                now,
                report));
        events.publishEvent(new CallOutcomeReported(call, outcome, sequence));
        if (report.disposition() != null && OutcomeReport.DO_NOT_CALL.equalsIgnoreCase(report.disposition())) {
            // an opt-out said to the agent is honored without anyone's code: the number is listed in
            // this transaction, and the organization's calls to it that have not started are canceled
            doNotCall.add(
                    call.organizationId(),
                    call.toNumber(),
                    "the callee asked not to be called again (reported on call " + callId + ")",
                    DncSource.AGENT);
        }
        return CallView.of(call, outcome);
    }

    public Optional<CallOutcome> find(UUID callId) {
        return outcomes.find(callId);
    }

    /** The call as clients see it, with what its agent reported. */
    public CallView view(Call call) {
        return CallView.of(call, outcomes.find(call.id()).orElse(null));
    }

    /** Calls as clients see them, their outcomes read in one query. */
    public List<CallView> views(List<Call> calls) {
        var found = outcomes.findAll(calls.stream().map(Call::id).toList());
        return calls.stream()
                .map(call -> CallView.of(call, found.get(call.id())))
                .toList();
    }

    /** A page of calls as clients see them, their outcomes read in one query. */
    public Page<CallView> views(Page<Call> page) {
        var found = outcomes.findAll(page.data().stream().map(Call::id).toList());
        return page.map(call -> CallView.of(call, found.get(call.id())));
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where and with what the agent reports a call's outcome. Holds the token: {@link #toString()}
     * never prints it.
     */
    public record ReportAccess(String url, String token) {
        @Override
        public String toString() {
            return "ReportAccess[url=" + url + ", token=<redacted>]";
        }
    }

    /** Which fields a report may give, for messages. */
    public static final List<String> FIELDS =
            List.of("answered_by", "disposition", "summary", "sentiment_score", "language_detected");
}
