package dev.dialplane.livekit;

import org.jspecify.annotations.Nullable;

/**
 * Where LiveKit Egress writes a call recording: {@code filepath} on the egress server's disk, or,
 * with {@code s3}, the object key in that bucket.
 */
public record RecordingOutput(String filepath, @Nullable S3 s3) {

    /** An S3-compatible bucket. {@link #toString()} never prints the secret. */
    public record S3(
            String bucket,
            String region,
            @Nullable String endpoint,
            String accessKey,
            String secret,
            boolean forcePathStyle) {

        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", accessKey=" + accessKey
                    + ", secret=<redacted>, forcePathStyle=" + forcePathStyle + "]";
        }
    }
}
