package dev.dialplane.fakelivekit;

import com.google.gson.Gson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Twirp error as it goes on the wire: {@code {"code","msg","meta"?}} with the HTTP status of its code
 * (contract §2.5). Thrown by handlers and turned into the response by {@link FakeLiveKit}.
 */
final class TwirpException extends RuntimeException {

    private static final Gson GSON = new Gson();

    private final String code;
    private final int httpStatus;
    private final Map<String, String> meta;

    TwirpException(String code, String msg) {
        this(code, httpStatusOf(code), msg, Map.of());
    }

    TwirpException(String code, String msg, Map<String, String> meta) {
        this(code, httpStatusOf(code), msg, meta);
    }

    TwirpException(String code, int httpStatus, String msg, Map<String, String> meta) {
        super(msg, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
        this.meta = Map.copyOf(meta);
    }

    static TwirpException invalidArgument(String msg) {
        return new TwirpException("invalid_argument", msg);
    }

    static TwirpException notFound(String msg) {
        return new TwirpException("not_found", msg);
    }

    static TwirpException failedPrecondition(String msg) {
        return new TwirpException("failed_precondition", msg);
    }

    static TwirpException permissionsDenied() {
        // livekit-server wraps ErrPermissionDenied as Twirp unauthenticated, not permission_denied (§2.5).
        return new TwirpException("unauthenticated", "permissions denied");
    }

    static TwirpException malformed(String msg) {
        return new TwirpException("malformed", msg);
    }

    static TwirpException badRoute(String msg, String httpMethod, String path) {
        return new TwirpException("bad_route", msg, Map.of("twirp_invalid_route", httpMethod + " " + path));
    }

    /** Twirp v8 code → HTTP status (contract §2.5; resource_exhausted is 429 since v8.1). */
    static int httpStatusOf(String code) {
        return switch (code) {
            case "canceled", "deadline_exceeded" -> 408;
            case "invalid_argument", "malformed", "out_of_range" -> 400;
            case "not_found", "bad_route" -> 404;
            case "already_exists", "aborted" -> 409;
            case "permission_denied" -> 403;
            case "unauthenticated" -> 401;
            case "resource_exhausted" -> 429;
            case "failed_precondition" -> 412;
            case "unimplemented" -> 501;
            case "unavailable" -> 503;
            case "internal", "unknown", "data_loss" -> 500;
            default -> throw new IllegalArgumentException("not a Twirp error code: " + code);
        };
    }

    String code() {
        return code;
    }

    int httpStatus() {
        return httpStatus;
    }

    String msg() {
        return getMessage();
    }

    Map<String, String> meta() {
        return meta;
    }

    String toJson() {
        var body = new LinkedHashMap<String, Object>();
        body.put("code", code);
        body.put("msg", getMessage());
        if (!meta.isEmpty()) {
            body.put("meta", new LinkedHashMap<>(meta));
        }
        return GSON.toJson(body);
    }

    @Override
    public String toString() {
        return "TwirpException" + toJson();
    }
}
