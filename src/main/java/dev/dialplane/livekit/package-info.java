@NullMarked
package dev.dialplane.livekit;

import org.jspecify.annotations.NullMarked;
