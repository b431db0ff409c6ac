@NullMarked
package dev.dialplane.numbers;

import org.jspecify.annotations.NullMarked;
