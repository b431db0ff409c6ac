@NullMarked
package dev.dialplane;

import org.jspecify.annotations.NullMarked;
