@NullMarked
package dev.dialplane.sandbox;

import org.jspecify.annotations.NullMarked;
