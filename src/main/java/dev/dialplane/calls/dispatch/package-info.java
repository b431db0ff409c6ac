@NullMarked
package dev.dialplane.calls.dispatch;

import org.jspecify.annotations.NullMarked;
