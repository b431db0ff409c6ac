package dev.dialplane.fakelivekit;

import java.security.SecureRandom;

/** LiveKit-shaped ids: a type prefix ({@code PA_}, {@code SCL_}, {@code RM_}…) and 12 random alphanumerics. */
final class Ids {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String next(String prefix) {
        return prefix + random(12);
    }

    static String random(int length) {
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
