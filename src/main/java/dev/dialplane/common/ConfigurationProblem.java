package dev.dialplane.common;

/**
 * A start-up configuration mistake an operator must fix. {@link ConfigurationProblemAnalyzer}
 * turns it into Spring Boot's "APPLICATION FAILED TO START" report with the action to take,
 * instead of a stack trace.
 */
public class ConfigurationProblem extends RuntimeException {

    private final String action;

    public ConfigurationProblem(String description, String action) {
        super(description, null, false, false);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
