@NullMarked
package dev.dialplane.compliance.web;

import org.jspecify.annotations.NullMarked;
