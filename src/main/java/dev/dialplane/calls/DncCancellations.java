package dev.dialplane.calls;

import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.compliance.NumbersAddedToDnc;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels an organization's calls that have not started (queued or scheduled) to numbers just put
 * on its do-not-call list, once the listing is committed. A call claimed meanwhile is not among
 * them; the dispatcher's own check before every dial stops it unless the dial already left.
 */
@Component
class DncCancellations {

    private static final Logger log = LoggerFactory.getLogger(DncCancellations.class);

    private final JdbcClient jdbc;
    private final CallLifecycle lifecycle;
    private final CompliancePolicyService policies;
    private final TransactionTemplate ownTransaction;

    DncCancellations(
            JdbcClient jdbc,
            CallLifecycle lifecycle,
            CompliancePolicyService policies,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.lifecycle = lifecycle;
        this.policies = policies;
        // after the listing's commit its transaction is over: each cancel commits on its own
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onNumbersAdded(NumbersAddedToDnc added) {
        if (added.numbers().isEmpty()
                || !policies.policy(added.organizationId()).dncEnforced()) {
            return;
        }
        for (var id : notStarted(added.organizationId(), added.numbers())) {
            // the transition is checked on the locked row: a call claimed meanwhile stays as it is
            ownTransaction.executeWithoutResult(status -> lifecycle.transition(
                    id,
                    Transition.ended(
                            CallStatus.CANCELED,
                            EndReason.DNC,
                            "canceled: the number was put on the organization's do-not-call list")));
            log.info("Call {} canceled: its number was put on the do-not-call list", id);
        }
    }

    /** One index probe per number (calls_org_to_number_idx: organization, to_number). */
    private List<UUID> notStarted(UUID organizationId, List<String> numbers) {
        var ids = ownTransaction.execute(status -> jdbc.sql("""
                        select id from calls
                        where organization_id = :org and to_number in (:numbers) and status in ('queued', 'scheduled')""")
                .param("org", organizationId)
                .param("numbers", numbers)
                .query(UUID.class)
                .list());
        return ids == null ? List.of() : ids;
    }
}
