@NullMarked
package dev.dialplane.campaigns.web;

import org.jspecify.annotations.NullMarked;
