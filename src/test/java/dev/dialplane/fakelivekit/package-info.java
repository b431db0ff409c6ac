/**
 * A wire-level fake of the LiveKit server for tests: Twirp RPCs, JWT auth and signed webhooks as described in
 * {@code livekit-contract.md}, with scripted dial outcomes. Entry point: {@link dev.dialplane.fakelivekit.FakeLiveKit}.
 */
@NullMarked
package dev.dialplane.fakelivekit;

import org.jspecify.annotations.NullMarked;
