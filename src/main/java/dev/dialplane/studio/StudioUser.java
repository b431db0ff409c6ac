package dev.dialplane.studio;

import dev.dialplane.members.Member;
import dev.dialplane.members.MemberRole;
import dev.dialplane.orgs.Tenant;
import java.io.Serial;
import java.io.Serializable;
import java.util.UUID;

/**
 * The member a Studio session belongs to, as it was at sign-in (kept in the session). A role
 * changed later applies from the next sign-in.
 */
public record StudioUser(UUID memberId, UUID organizationId, String email, MemberRole role) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public static StudioUser of(Member member) {
        return new StudioUser(member.id(), member.organizationId(), member.email(), member.role());
    }

    /** The organization every page reads and changes: the same scoping as an API key's. */
    public Tenant tenant() {
        return new Tenant(organizationId);
    }

    public boolean canChange() {
        return role.changes();
    }

    public boolean managesMembers() {
        return role.managesMembers();
    }
}
