@NullMarked
package dev.dialplane.trunks;

import org.jspecify.annotations.NullMarked;
