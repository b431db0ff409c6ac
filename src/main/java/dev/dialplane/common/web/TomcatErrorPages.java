package dev.dialplane.common.web;

import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Swaps Tomcat's HTML {@link ErrorReportValve} for {@link JsonErrorReportValve} once the server
 * has started (the host adds its valve while starting, so it is replaced rather than configured).
 */
@Component
class TomcatErrorPages implements ApplicationListener<WebServerInitializedEvent> {

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer tomcat)) {
            return;
        }
        var host = tomcat.getTomcat().getHost();
        var pipeline = host.getPipeline();
        for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
                pipeline.removeValve(valve);
            }
        }
        if (java.util.Arrays.stream(pipeline.getValves()).noneMatch(JsonErrorReportValve.class::isInstance)) {
            pipeline.addValve(new JsonErrorReportValve());
        }
    }
}
