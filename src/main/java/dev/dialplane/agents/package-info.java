@NullMarked
package dev.dialplane.agents;

import org.jspecify.annotations.NullMarked;
