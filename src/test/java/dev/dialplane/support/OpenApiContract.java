package dev.dialplane.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The served OpenAPI document ({@code /v3/api-docs}) as a contract every response must keep: a
 * response whose status, content type, headers or body the document does not describe fails the
 * test that received it, with the validator's report in the message. Requests are not checked,
 * since tests send bad input on purpose.
 */
public final class OpenApiContract {

    /** Set {@code -Ddialplane.test.openapi=false} to see a test's own outcome without the check. */
    private static final boolean ENABLED = !"false".equals(System.getProperty("dialplane.test.openapi"));

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private static final Map<String, OpenAPI> WEBHOOK_SCHEMAS = new ConcurrentHashMap<>();

    private OpenApiContract() {}

    /** Fails with the validation report when the document does not describe this response. */
    static void check(String baseUrl, String method, String pathAndQuery, Api.Response response) {
        if (!ENABLED) {
            return;
        }
        var path = URI.create(pathAndQuery).getRawPath();
        var report = validate(baseUrl, method, path, response);
        if (report.hasErrors()) {
            throw new AssertionError(
                    "The response to " + method + " " + pathAndQuery + " is not what /v3/api-docs documents:\n"
                            + SimpleValidationReportFormat.getInstance().apply(report)
                            + "\nresponse: " + response.status() + " "
                            + response.headers().get("content-type") + " " + abbreviate(response.text()));
        }
    }

    public static ValidationReport validate(String baseUrl, String method, String path, Api.Response response) {
        var builder = SimpleResponse.Builder.status(response.status());
        response.headers().forEach((name, values) -> builder.withHeader(name, values));
        if (response.text() != null && !response.text().isEmpty()) {
            builder.withBody(response.text());
        }
        return validator(baseUrl)
                .validateResponse(path, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), builder.build());
    }

    /** The served document itself, parsed into JSON text. */
    public static String document(String baseUrl) {
        try {
            var response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v3/api-docs"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(
                        "No OpenAPI document at " + baseUrl + "/v3/api-docs: " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("No OpenAPI document at " + baseUrl + "/v3/api-docs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The report on one client webhook body against the document's {@code WebhookMessage} (empty
     * when it is one), or nothing when the check is off.
     */
    public static String webhookViolations(String baseUrl, String body) {
        return webhookViolations(baseUrl, body, "WebhookMessage");
    }

    /** The violations of {@code body} against the document's schema {@code schemaName}. */
    public static String webhookViolations(String baseUrl, String body, String schemaName) {
        if (!ENABLED) {
            return "";
        }
        var document = WEBHOOK_SCHEMAS.computeIfAbsent(
                baseUrl,
                url -> new OpenAPIV3Parser().readContents(document(url)).getOpenAPI());
        var schema = document.getComponents().getSchemas().get(schemaName);
        if (schema == null) {
            return "the document has no " + schemaName + " schema";
        }
        var report = new SchemaValidator(
                        document,
                        new MessageResolver(LevelResolver.create()
                                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                                .build()))
                .validate(body, schema, "webhook");
        return report.hasErrors()
                ? SimpleValidationReportFormat.getInstance().apply(report) + "\nbody: " + abbreviate(body)
                : "";
    }

    private static OpenApiInteractionValidator validator(String baseUrl) {
        return VALIDATORS.computeIfAbsent(
                baseUrl,
                url -> OpenApiInteractionValidator.createForInlineApiSpecification(document(url))
                        .withLevelResolver(LevelResolver.create()
                                // routes that are not the API's (Swagger UI, the document itself, unknown paths
                                // tests probe) and methods a route does not have: nothing to document them on
                                .withLevel("validation.response.path.missing", ValidationReport.Level.IGNORE)
                                .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                                .withLevel("validation.response.operation.notAllowed", ValidationReport.Level.IGNORE)
                                .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE)
                                // a field the document does not list is drift too, not an extra to shrug off
                                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                                .build())
                        .build());
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 2000 ? String.valueOf(text) : text.substring(0, 2000) + "…";
    }
}
