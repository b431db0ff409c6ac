package dev.dialplane.common.web;

import dev.dialplane.common.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** A text upload (a CSV) read as it arrives, in the Content-Type's charset, UTF-8 otherwise. */
public final class TextUploads {

    private TextUploads() {}

    /**
     * The request body as text; an undecodable byte becomes U+FFFD (the row holding it is then
     * refused on its own, not the whole upload).
     *
     * @throws ApiException 415 when the Content-Type names a charset Dialplane does not know
     */
    public static Reader reader(HttpServletRequest request) throws IOException {
        return reader(request.getInputStream(), request.getCharacterEncoding());
    }

    /**
     * An uploaded file (a multipart form's part) as text, in {@code charset} (UTF-8 when null), read
     * as {@link #reader(HttpServletRequest)} reads a body.
     *
     * @throws ApiException 415 when {@code charset} is not one Dialplane knows
     */
    public static Reader reader(InputStream in, @Nullable String charset) {
        var decoder = charset(charset)
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(in, decoder);
    }

    private static Charset charset(@Nullable String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "The charset of Content-Type is not one Dialplane knows; send text/csv in UTF-8.");
        }
    }
}
