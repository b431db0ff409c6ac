package dev.dialplane.members;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.OrganizationOwners;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Members of an organization: added, listed, removed (never the last owner), and found at sign-in.
 * The API (an API key has the organization's full rights) and Studio (an owner) both come here.
 */
@Service
public class MemberService implements OrganizationOwners {

    private final MemberRepository members;
    private final PasswordEncoder passwords;
    private final Clock clock;

    MemberService(MemberRepository members, PasswordEncoder passwords, Clock clock) {
        this.members = members;
        this.passwords = passwords;
        this.clock = clock;
    }

    /** What is wrong with an email address given as input, named for {@code field}; null when it is fine. */
    public static @Nullable FieldViolation emailViolation(String field, @Nullable String email) {
        return OrganizationOwners.emailViolation(field, email);
    }

    /** What is wrong with a role given as input; null when it is one. */
    public static @Nullable FieldViolation roleViolation(String field, @Nullable String role) {
        if (role == null || role.isBlank()) {
            return new FieldViolation(field, "is required");
        }
        return MemberRole.parse(role).isEmpty()
                ? new FieldViolation(field, "must be one of owner, admin, viewer")
                : null;
    }

    /** What is wrong with a password given as input, named for {@code field}; null when it is fine. */
    public static @Nullable FieldViolation passwordViolation(String field, @Nullable String password) {
        return OrganizationOwners.passwordViolation(field, password);
    }

    /**
     * Adds a member whose input was validated ({@link #passwordViolation}).
     *
     * @throws ApiException 409 {@code MEMBER_EXISTS} when the email belongs to a member already
     */
    @Transactional
    public Member add(UUID organizationId, String email, String password, MemberRole role) {
        if (members.emailTaken(email)) {
            throw exists(email);
        }
        var member = new Member(UUID.randomUUID(), organizationId, email, role, clock.instant(), null);
        try {
            members.insert(member, passwords.encode(password));
        } catch (DuplicateKeyException raced) {
            throw exists(email);
        }
        return member;
    }

    @Override
    public void addOwner(UUID organizationId, String email, String password) {
        add(organizationId, email, password, MemberRole.OWNER);
    }

    /** Adds the owner unless that email is a member already (the sandbox's demo sign-in). */
    @Transactional
    public void ensureOwner(UUID organizationId, String email, String password) {
        if (!members.emailTaken(email)) {
            add(organizationId, email, password, MemberRole.OWNER);
        }
    }

    public Page<Member> list(Tenant tenant, PageRequest page) {
        return Page.of(
                members.list(tenant.organizationId(), page), page.limit(), m -> new Cursor(m.createdAt(), m.id()));
    }

    public Member get(Tenant tenant, UUID id) {
        return members.find(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    /**
     * Removes a member. The last owner stays: without one, nobody could manage the members in
     * Studio. Owners are locked first, so two owners removing each other cannot both succeed.
     */
    @Transactional
    public void remove(Tenant tenant, UUID id) {
        var owners = members.lockOwners(tenant.organizationId());
        var member = get(tenant, id);
        if (member.role() == MemberRole.OWNER && owners.size() <= 1) {
            throw ApiException.conflict(
                    "LAST_OWNER", "This is the organization's only owner; add another owner before removing this one.");
        }
        members.delete(tenant.organizationId(), id);
    }

    /** The member signing in with this email (any case), with the hash to check the password against. */
    public Optional<MemberCredentials> credentials(String email) {
        return members.findByEmail(email);
    }

    public void recordSignIn(UUID memberId) {
        members.signedIn(memberId, clock.instant());
    }

    private static ApiException exists(String email) {
        return ApiException.conflict(
                "MEMBER_EXISTS", "The email " + email + " already signs in to Studio; a person is one member.");
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("MEMBER_NOT_FOUND", "No member " + id + " in your organization.");
    }
}
