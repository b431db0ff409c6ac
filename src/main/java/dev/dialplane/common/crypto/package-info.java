@NullMarked
package dev.dialplane.common.crypto;

import org.jspecify.annotations.NullMarked;
