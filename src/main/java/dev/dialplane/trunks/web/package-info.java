@NullMarked
package dev.dialplane.trunks.web;

import org.jspecify.annotations.NullMarked;
