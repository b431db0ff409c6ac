package dev.dialplane.studio.web;

import dev.dialplane.members.MemberService;
import dev.dialplane.orgs.OrganizationOwners;
import dev.dialplane.studio.SignInThrottle;
import dev.dialplane.studio.StudioUser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Signs a member in by email and password, throttled per account and per client address. Every
 * refusal says the same ("Wrong email or password"), whether or not the email is a member's, and
 * an unknown email costs the same bcrypt check as a known one.
 */
@Component
class MemberAuthentication implements org.springframework.security.authentication.AuthenticationProvider {

    static final String WRONG = "Wrong email or password.";

    private final MemberService members;
    private final PasswordEncoder passwords;
    private final SignInThrottle throttle;
    private final Clock clock;
    private final String unknownMemberHash;

    MemberAuthentication(MemberService members, PasswordEncoder passwords, SignInThrottle throttle, Clock clock) {
        this.members = members;
        this.passwords = passwords;
        this.throttle = throttle;
        this.clock = clock;
        this.unknownMemberHash = java.util.Objects.requireNonNull(passwords.encode("no member has this password"));
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        var email = authentication.getName().strip();
        var password = authentication.getCredentials() instanceof String text ? text : "";
        var address = address(authentication);
        var locked = throttle.lockedUntil(email, address);
        if (locked.isPresent()) {
            var minutes =
                    Math.max(1, Duration.between(clock.instant(), locked.get()).toSeconds() / 60 + 1);
            throw new LockedException(
                    "Too many failed sign-ins: try again in " + minutes + " minute" + (minutes == 1 ? "" : "s") + ".");
        }
        var credentials = members.credentials(email);
        // bcrypt refuses more than 72 bytes; no stored password is longer
        var checkable = password.getBytes(StandardCharsets.UTF_8).length <= OrganizationOwners.MAX_PASSWORD_BYTES;
        var hash = credentials.map(c -> c.passwordHash()).orElse(unknownMemberHash);
        var matches = checkable && passwords.matches(password, hash);
        if (credentials.isEmpty() || !matches) {
            throttle.failed(email, address);
            throw new BadCredentialsException(WRONG);
        }
        throttle.succeeded(email);
        var member = credentials.get().member();
        members.recordSignIn(member.id());
        var user = StudioUser.of(member);
        return UsernamePasswordAuthenticationToken.authenticated(
                user,
                null,
                List.of(new SimpleGrantedAuthority("ROLE_" + member.role().name())));
    }

    /** The client's address as Spring Security recorded it with the sign-in (also the operator's). */
    static @Nullable String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress()
                : null;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
