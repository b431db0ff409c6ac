@NullMarked
package dev.dialplane.campaigns;

import org.jspecify.annotations.NullMarked;
