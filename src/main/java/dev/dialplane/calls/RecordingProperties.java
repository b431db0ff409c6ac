package dev.dialplane.calls;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where LiveKit Egress writes call recordings (OGG, agent left channel / callee right).
 *
 * @param pathPrefix the file path prefix: on the egress server's disk without S3, the object key
 *     prefix with it; each call's file is {@code <prefix><call id>.ogg}
 * @param s3Bucket with a bucket set, recordings are uploaded to this S3-compatible bucket
 * @param s3Endpoint for S3-compatible stores other than AWS (MinIO, R2 …)
 */
@ConfigurationProperties("dialplane.recording")
public record RecordingProperties(
        @DefaultValue("recordings/") String pathPrefix,
        @Nullable String s3Bucket,
        @DefaultValue("us-east-1") String s3Region,
        @Nullable String s3Endpoint,
        @Nullable String s3AccessKey,
        @Nullable String s3Secret,
        @DefaultValue("false") boolean s3ForcePathStyle) {

    @Override
    public String toString() {
        return "RecordingProperties[pathPrefix=" + pathPrefix + ", s3Bucket=" + s3Bucket + ", s3Secret=<redacted>]";
    }
}
