/**
 * Studio, the web console at {@code /studio}: who is signed in ({@link StudioUser}) and how failed
 * sign-ins are throttled. Its pages ({@code web/}) call the same services as the API, so no rule
 * exists twice.
 */
@NullMarked
package dev.dialplane.studio;

import org.jspecify.annotations.NullMarked;
