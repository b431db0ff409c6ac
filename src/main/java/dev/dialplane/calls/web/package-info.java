@NullMarked
package dev.dialplane.calls.web;

import org.jspecify.annotations.NullMarked;
