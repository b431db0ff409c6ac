/**
 * Calling compliance: the organization's policy (calling window in the callee's local time, attempt
 * caps, do-not-call switch) and the rules a call must pass before it is placed and again before it
 * is dialed. Depends on orgs and common only; calls depend on it.
 */
@NullMarked
package dev.dialplane.compliance;

import org.jspecify.annotations.NullMarked;
