@NullMarked
package dev.dialplane.webhooks.web;

import org.jspecify.annotations.NullMarked;
