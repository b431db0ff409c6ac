@NullMarked
package dev.dialplane.studio.web;

import org.jspecify.annotations.NullMarked;
