package dev.dialplane.studio.web;

import dev.dialplane.common.RunMode;
import dev.dialplane.studio.StudioOperator;
import dev.dialplane.studio.StudioUser;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every Studio page's layout shows: who is signed in, what they may change, the run mode. */
@ControllerAdvice(basePackageClasses = StudioModel.class)
class StudioModel {

    private final RunMode mode;

    StudioModel(RunMode mode) {
        this.mode = mode;
    }

    @ModelAttribute("user")
    @Nullable StudioUser user(@AuthenticationPrincipal @Nullable StudioUser user) {
        return user;
    }

    @ModelAttribute("canChange")
    boolean canChange(@AuthenticationPrincipal @Nullable StudioUser user) {
        return user != null && user.canChange();
    }

    /** An operator's session (the operator pages' own navigation); never a member's. */
    @ModelAttribute("operator")
    boolean operator(@AuthenticationPrincipal @Nullable StudioOperator operator) {
        return operator != null;
    }

    @ModelAttribute("sandbox")
    boolean sandbox() {
        return mode.sandbox();
    }
}
