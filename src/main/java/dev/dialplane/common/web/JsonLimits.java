package dev.dialplane.common.web;

/** The limits on a request body, documented in the README ("Errors"). */
public final class JsonLimits {

    /** Largest request body: a call request is a few KB; only the routes below take an upload. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Largest {@code POST /dnc/import} body: a million numbers of 15 digits with line ends are
     * ~17 MB, and a CSV with other columns beside the number needs room. Read as a stream.
     */
    public static final long MAX_IMPORT_BYTES = 64L * 1024 * 1024;
    /**
     * Largest {@code POST /batch/create} body: TalkifAI's 10 MB contacts file, with room for the
     * multipart framing and the form fields beside it (the file itself is checked against 10 MB).
     */
    public static final long MAX_BATCH_UPLOAD_BYTES = 11L * 1024 * 1024;
    /**
     * The routes that take an upload (a CSV or multipart body), by path pattern, with their own
     * limits. A campaign's targets: a million rows with a few variables each. Studio's campaign
     * upload is a form with a contacts file, held to TalkifAI's 10 MB like {@code /batch/create}.
     */
    public static final java.util.Map<String, Long> ROUTE_BODY_LIMITS = java.util.Map.of(
            "/dnc/import",
            MAX_IMPORT_BYTES,
            "/campaigns/[^/]+/targets",
            MAX_IMPORT_BYTES,
            "/batch/create",
            MAX_BATCH_UPLOAD_BYTES,
            "/studio/campaigns/new",
            MAX_BATCH_UPLOAD_BYTES);
    /** Deepest nesting of objects and arrays (a call's {@code context} is the only free-form JSON). */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal, in characters: a 64-bit integer has 20, a credit amount fewer. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private JsonLimits() {}
}
