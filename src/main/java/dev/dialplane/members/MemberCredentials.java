package dev.dialplane.members;

/** A member with the encoded password sign-in checks; the hash never leaves the server. */
public record MemberCredentials(Member member, String passwordHash) {

    @Override
    public String toString() {
        return "MemberCredentials[member=" + member + ", passwordHash=(hidden)]";
    }
}
