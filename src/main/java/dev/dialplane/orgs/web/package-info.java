@NullMarked
package dev.dialplane.orgs.web;

import org.jspecify.annotations.NullMarked;
