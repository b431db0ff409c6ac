/**
 * What every feature shares: the problem+json advice and error shapes ({@code web}), secrets
 * ({@code crypto}), the clock, paging and tenant-scoped reads. An open module: every feature may
 * use its sub-packages, and it depends on no feature.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
@NullMarked
package dev.dialplane.common;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
