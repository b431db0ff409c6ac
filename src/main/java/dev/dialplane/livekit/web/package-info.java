@NullMarked
package dev.dialplane.livekit.web;

import org.jspecify.annotations.NullMarked;
