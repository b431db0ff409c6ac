package dev.dialplane.common.web;

/** The limits on a request body, documented in the README ("Errors"). */
public final class JsonLimits {

    /** Largest request body: no route takes an upload, and a call request is a few KB. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /** Deepest nesting of objects and arrays (a call's {@code context} is the only free-form JSON). */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal, in characters: a 64-bit integer has 20, a credit amount fewer. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private JsonLimits() {}
}
