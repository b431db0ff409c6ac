@NullMarked
package dev.dialplane.numbers.web;

import org.jspecify.annotations.NullMarked;
