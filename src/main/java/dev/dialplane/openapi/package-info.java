/**
 * The OpenAPI document at {@code /v3/api-docs}: springdoc's generation, corrected in one place so
 * it states every operation's errors, headers, content types, security and nullability. The test
 * suite checks every response against it. It reads {@code orgs} only to hide the authenticated
 * {@code Tenant} from the operations' parameters.
 */
@NullMarked
package dev.dialplane.openapi;

import org.jspecify.annotations.NullMarked;
