package dev.dialplane.members.web;

import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.members.Member;
import dev.dialplane.members.MemberRole;
import dev.dialplane.members.MemberService;
import dev.dialplane.orgs.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The organization's Studio members; an API key has the organization's full rights here. */
@RestController
@RequestMapping("/members")
class MemberController {

    private final MemberService members;
    private final RequestValidator validator;

    MemberController(MemberService members, RequestValidator validator) {
        this.members = members;
        this.validator = validator;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    MemberResponse create(Tenant tenant, @RequestBody CreateMemberRequest request) {
        RequestValidator.reject(validator.violations(request));
        // validated above: all three present
        return MemberResponse.of(members.add(
                tenant.organizationId(),
                java.util.Objects.requireNonNull(request.email()).strip(),
                java.util.Objects.requireNonNull(request.password()),
                MemberRole.parse(java.util.Objects.requireNonNull(request.role()))
                        .orElseThrow()));
    }

    @GetMapping
    Page<MemberResponse> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return members.list(tenant, PageRequest.of(limit, cursor)).map(MemberResponse::of);
    }

    @GetMapping("/{id}")
    MemberResponse get(Tenant tenant, @PathVariable UUID id) {
        return MemberResponse.of(members.get(tenant, id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(Tenant tenant, @PathVariable UUID id) {
        members.remove(tenant, id);
    }

    /** The password is the member's first one; bcrypt keeps a hash of it. */
    record CreateMemberRequest(
            @Nullable String email,
            @Nullable String password,
            @Nullable String role) implements RequestValidator.Checked {

        @Override
        public List<FieldViolation> check() {
            var found = new ArrayList<FieldViolation>();
            var email = MemberService.emailViolation("email", email());
            if (email != null) {
                found.add(email);
            }
            var password = MemberService.passwordViolation("password", password());
            if (password != null) {
                found.add(password);
            }
            var role = MemberService.roleViolation("role", role());
            if (role != null) {
                found.add(role);
            }
            return found;
        }

        @Override
        public String toString() {
            return "CreateMemberRequest[email=" + email + ", password=(hidden), role=" + role + "]";
        }
    }

    record MemberResponse(
            UUID id,
            String email,
            String role,
            Instant createdAt,
            @Nullable Instant lastSignInAt) {
        static MemberResponse of(Member member) {
            return new MemberResponse(
                    member.id(), member.email(), member.role().value(), member.createdAt(), member.lastSignInAt());
        }
    }
}
