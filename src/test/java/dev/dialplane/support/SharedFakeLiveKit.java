package dev.dialplane.support;

import dev.dialplane.fakelivekit.FakeLiveKit;

/** One fake LiveKit per test JVM, like the one Spring context that talks to it. */
final class SharedFakeLiveKit {

    private static final FakeLiveKit INSTANCE = FakeLiveKit.start();

    private SharedFakeLiveKit() {}

    static FakeLiveKit instance() {
        return INSTANCE;
    }
}
