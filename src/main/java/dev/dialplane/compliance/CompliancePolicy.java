package dev.dialplane.compliance;

import org.jspecify.annotations.Nullable;

/**
 * An organization's compliance policy.
 *
 * @param callingWindow when callees may be called, in their local time; null: no window (the
 *     operator turned it off)
 * @param maxAttemptsPerNumber attempt caps per number, or null for none (not enforced yet)
 * @param dncEnforced whether the do-not-call list is enforced (not enforced yet)
 */
public record CompliancePolicy(
        @Nullable CallingWindow callingWindow, @Nullable AttemptCaps maxAttemptsPerNumber, boolean dncEnforced) {

    /** What an organization has until it changes its policy. */
    public static final CompliancePolicy DEFAULT = new CompliancePolicy(CallingWindow.DEFAULT, null, true);
}
