@NullMarked
package dev.dialplane.common.web;

import org.jspecify.annotations.NullMarked;
