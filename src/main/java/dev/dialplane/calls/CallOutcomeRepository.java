package dev.dialplane.calls;

import dev.dialplane.common.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Calls' reported outcomes and their report tokens' hashes (V12). */
@Repository
class CallOutcomeRepository {

    private final JdbcClient jdbc;

    CallOutcomeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CallOutcome> find(UUID callId) {
        return jdbc.sql("select * from call_outcomes where call_id = :id")
                .param("id", callId)
                .query((rs, row) -> map(rs))
                .optional();
    }

    /** The outcomes of the given calls, in one query (a page of calls is never N+1). */
    Map<UUID, CallOutcome> findAll(Collection<UUID> callIds) {
        var found = new HashMap<UUID, CallOutcome>();
        if (callIds.isEmpty()) {
            return found;
        }
        jdbc.sql("select * from call_outcomes where call_id in (:ids)")
                .param("ids", callIds)
                .query((rs, row) -> map(rs))
                .list()
                .forEach(outcome -> found.put(outcome.callId(), outcome));
        return found;
    }

    /** Stores the call's outcome; its caller holds the call's row lock, so update-then-insert cannot race. */
    void save(CallOutcome outcome) {
        var updated = jdbc.sql("""
                        update call_outcomes set answered_by = :answeredBy, disposition = :disposition,
                            summary = :summary, sentiment_score = :sentiment, language_detected = :language,
                            reported_at = :reportedAt
                        where call_id = :id""").params(params(outcome)).update();
        if (updated == 0) {
            jdbc.sql("""
                            insert into call_outcomes (call_id, answered_by, disposition, summary, sentiment_score,
                                language_detected, reported_at)
                            values (:id, :answeredBy, :disposition, :summary, :sentiment, :language, :reportedAt)""").params(params(outcome)).update();
        }
    }

    private static Map<String, @Nullable Object> params(CallOutcome outcome) {
        var params = new HashMap<String, @Nullable Object>();
        params.put("id", outcome.callId());
        params.put(
                "answeredBy",
                outcome.answeredBy() == null ? null : outcome.answeredBy().toString());
        params.put("disposition", outcome.disposition());
        params.put("summary", outcome.summary());
        params.put("sentiment", outcome.sentimentScore());
        params.put("language", outcome.languageDetected());
        params.put("reportedAt", Jdbc.utc(outcome.reportedAt()));
        return params;
    }

    private static CallOutcome map(ResultSet rs) throws SQLException {
        var answeredBy = rs.getString("answered_by");
        var score = rs.getDouble("sentiment_score");
        Double sentiment = rs.wasNull() ? null : score;
        return new CallOutcome(
                Jdbc.requiredUuid(rs, "call_id"),
                answeredBy == null ? null : AnsweredBy.parse(answeredBy),
                rs.getString("disposition"),
                rs.getString("summary"),
                sentiment,
                rs.getString("language_detected"),
                Jdbc.requiredInstant(rs, "reported_at"));
    }

    /** Gives the call a new report token (its hash): the one issued before, if any, stops working. */
    void saveTokenHash(UUID callId, String tokenHash, Instant issuedAt) {
        var updated = jdbc.sql("update call_report_tokens set token_hash = :hash, issued_at = :at where call_id = :id")
                .param("id", callId)
                .param("hash", tokenHash)
                .param("at", Jdbc.utc(issuedAt))
                .update();
        if (updated == 0) {
            jdbc.sql("insert into call_report_tokens (call_id, token_hash, issued_at) values (:id, :hash, :at)")
                    .param("id", callId)
                    .param("hash", tokenHash)
                    .param("at", Jdbc.utc(issuedAt))
                    .update();
        }
    }

    /** The call's token hash with what decides whether it still holds: its organization and end. */
    record TokenHolder(
            String tokenHash, UUID organizationId, @Nullable Instant endedAt) {}

    Optional<TokenHolder> tokenHolder(UUID callId) {
        return jdbc.sql("""
                        select t.token_hash, c.organization_id, c.ended_at
                        from call_report_tokens t join calls c on c.id = t.call_id
                        where t.call_id = :id""")
                .param("id", callId)
                .query((rs, row) -> new TokenHolder(
                        rs.getString("token_hash"),
                        Jdbc.requiredUuid(rs, "organization_id"),
                        Jdbc.instant(rs, "ended_at")))
                .optional();
    }

    boolean tokenExists(String tokenHash) {
        return jdbc.sql("select count(*) from call_report_tokens where token_hash = :hash")
                        .param("hash", tokenHash)
                        .query(Integer.class)
                        .single()
                > 0;
    }
}
