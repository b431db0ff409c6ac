@NullMarked
package dev.dialplane.calls;

import org.jspecify.annotations.NullMarked;
