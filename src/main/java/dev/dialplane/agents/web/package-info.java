@NullMarked
package dev.dialplane.agents.web;

import org.jspecify.annotations.NullMarked;
