package dev.dialplane.orgs;

import dev.dialplane.common.FieldViolation;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who signs in to a new organization first: implemented by the members feature, which sits above
 * orgs, so an organization and its owner are created in one transaction without orgs knowing
 * about members. The password rule is here because both the admin API and members apply it.
 */
public interface OrganizationOwners {

    /** The shortest password the API and Studio accept (the sandbox's seeded one is shorter on purpose). */
    int MIN_PASSWORD_LENGTH = 12;
    /** bcrypt reads no further. */
    int MAX_PASSWORD_BYTES = 72;

    /**
     * Adds the organization's owner, in the caller's transaction.
     *
     * @throws dev.dialplane.common.ApiException 409 when the email already belongs to a member
     */
    void addOwner(UUID organizationId, String email, String password);

    /** The longest email address (RFC 5321's path limit). */
    int MAX_EMAIL_LENGTH = 254;

    /** One @, something before it, a dotted domain after it, no spaces: what sign-in needs, no more. */
    java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");

    /** What is wrong with an email address given as input, named for {@code field}; null when it is fine. */
    static @Nullable FieldViolation emailViolation(String field, @Nullable String email) {
        if (email == null || email.isBlank()) {
            return new FieldViolation(field, "is required");
        }
        if (email.strip().length() > MAX_EMAIL_LENGTH) {
            return new FieldViolation(field, "must be at most " + MAX_EMAIL_LENGTH + " characters");
        }
        if (!EMAIL.matcher(email.strip()).matches()) {
            return new FieldViolation(field, "must be an email address");
        }
        return null;
    }

    /** What is wrong with a password given as input, named for {@code field}; null when it is fine. */
    static @Nullable FieldViolation passwordViolation(String field, @Nullable String password) {
        if (password == null) {
            return new FieldViolation(field, "is required");
        }
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            return new FieldViolation(field, "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return new FieldViolation(field, "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
        return null;
    }
}
