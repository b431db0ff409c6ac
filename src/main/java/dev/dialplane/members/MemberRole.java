package dev.dialplane.members;

import java.util.Locale;
import java.util.Optional;

/** What a member may do in Studio. The API's keys have an organization's full rights, whatever the roles. */
public enum MemberRole {
    /** Everything, members included. */
    OWNER,
    /** Everything but members. */
    ADMIN,
    /** Reads only. */
    VIEWER;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MemberRole> parse(String value) {
        for (var role : values()) {
            if (role.value().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** Whether this role may change the organization's numbers, calls, keys and settings. */
    public boolean changes() {
        return this != VIEWER;
    }

    /** Whether this role may invite and remove members. */
    public boolean managesMembers() {
        return this == OWNER;
    }
}
