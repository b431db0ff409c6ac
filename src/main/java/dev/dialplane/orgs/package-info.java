@NullMarked
package dev.dialplane.orgs;

import org.jspecify.annotations.NullMarked;
