/**
 * Organization members: the people who sign in to Studio, with a role ({@code owner} everything,
 * {@code admin} everything but members, {@code viewer} reads only) and a password kept as a
 * bcrypt hash. Sits above orgs, whose new organizations get their owner through
 * {@link dev.dialplane.orgs.OrganizationOwners}.
 */
@NullMarked
package dev.dialplane.members;

import org.jspecify.annotations.NullMarked;
