package dev.dialplane.studio;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * An operator's Studio session: signed in with {@code DIALPLANE_ADMIN_TOKEN}, role OPERATOR. It
 * reaches the operator pages only, never an organization's member pages.
 */
public record StudioOperator(Instant signedInAt) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
}
