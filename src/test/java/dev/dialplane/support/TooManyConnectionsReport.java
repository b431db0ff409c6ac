package dev.dialplane.support;

import java.sql.SQLException;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ApplicationContextFailureProcessor;

/**
 * A context that could not start because PostgreSQL had no connection left says so in one line,
 * instead of leaving the reason at the bottom of a long chain of start-up exceptions.
 */
class TooManyConnectionsReport implements ApplicationContextFailureProcessor {

    @Override
    public void processLoadFailure(ApplicationContext context, Throwable exception) {
        for (var cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && TestDatabase.tooManyConnections(sql)) {
                System.err.println(TestDatabase.explain(sql));
                return;
            }
        }
    }
}
