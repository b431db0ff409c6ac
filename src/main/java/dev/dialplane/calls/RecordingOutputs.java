package dev.dialplane.calls;

import dev.dialplane.livekit.RecordingOutput;
import org.springframework.stereotype.Component;

/** Turns the recording configuration into LiveKit Egress's output for one call. */
@Component
public class RecordingOutputs {

    private final RecordingProperties properties;

    RecordingOutputs(RecordingProperties properties) {
        this.properties = properties;
    }

    public RecordingOutput outputFor(Call call) {
        var path = properties.pathPrefix() + call.id() + ".ogg";
        var bucket = properties.s3Bucket();
        if (bucket == null || bucket.isBlank()) {
            return new RecordingOutput(path, null);
        }
        return new RecordingOutput(
                path,
                new RecordingOutput.S3(
                        bucket,
                        properties.s3Region(),
                        properties.s3Endpoint(),
                        properties.s3AccessKey() == null ? "" : properties.s3AccessKey(),
                        properties.s3Secret() == null ? "" : properties.s3Secret(),
                        properties.s3ForcePathStyle()));
    }
}
