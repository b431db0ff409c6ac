package dev.dialplane.orgs;

/** A newly created key and its secret value, which exists only in this object and the response. */
public record IssuedApiKey(ApiKey apiKey, String secret) {

    @Override
    public String toString() {
        return "IssuedApiKey[apiKey=" + apiKey + ", secret=<redacted>]";
    }
}
