package dev.dialplane.studio.web;

import dev.dialplane.orgs.AdminToken;
import dev.dialplane.studio.SignInThrottle;
import dev.dialplane.studio.StudioOperator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Signs an operator in with the admin API's token (the same constant-time check, {@link
 * AdminToken}), throttled like a member's sign-in: per client address, and as one account
 * ({@value #ACCOUNT}), so guesses from many addresses lock the operator sign-in too.
 */
@Component
class OperatorAuthentication implements AuthenticationProvider {

    static final String WRONG = "Wrong operator token.";
    static final String DISABLED = "Operator sign-in is off: start Dialplane with DIALPLANE_ADMIN_TOKEN set.";
    /** The throttle's account key for operator sign-ins (no member's email can be this: it has no '@'). */
    static final String ACCOUNT = "operator";

    private final AdminToken adminToken;
    private final SignInThrottle throttle;
    private final Clock clock;

    OperatorAuthentication(AdminToken adminToken, SignInThrottle throttle, Clock clock) {
        this.adminToken = adminToken;
        this.throttle = throttle;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!adminToken.enabled()) {
            throw new DisabledException(DISABLED);
        }
        var token = authentication.getCredentials() instanceof String text ? text : "";
        var address = MemberAuthentication.address(authentication);
        var locked = throttle.lockedUntil(ACCOUNT, address);
        if (locked.isPresent()) {
            var minutes =
                    Math.max(1, Duration.between(clock.instant(), locked.get()).toSeconds() / 60 + 1);
            throw new LockedException(
                    "Too many failed sign-ins: try again in " + minutes + " minute" + (minutes == 1 ? "" : "s") + ".");
        }
        if (!adminToken.matches(token)) {
            throttle.failed(ACCOUNT, address);
            throw new BadCredentialsException(WRONG);
        }
        throttle.succeeded(ACCOUNT);
        return UsernamePasswordAuthenticationToken.authenticated(
                new StudioOperator(clock.instant()), null, List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
