@NullMarked
package dev.dialplane.webhooks;

import org.jspecify.annotations.NullMarked;
