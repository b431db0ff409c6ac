@NullMarked
package dev.dialplane.members.web;

import org.jspecify.annotations.NullMarked;
