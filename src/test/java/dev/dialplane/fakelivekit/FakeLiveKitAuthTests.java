package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.claims;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.json;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postJson;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.rawToken;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two failure shapes of §2.3/§2.5: middleware plain-text 401s, and Twirp unauthenticated for missing grants. */
class FakeLiveKitAuthTests {

    private static final String CREATE_SIP = "/twirp/livekit.SIP/CreateSIPParticipant";
    private static final String DIAL =
            "{\"sip_trunk_id\":\"ST_abc\",\"sip_call_to\":\"+12025550101\",\"room_name\":\"r1\"}";

    private FakeLiveKit fake;

    @BeforeEach
    void start() {
        fake = FakeLiveKit.start();
        fake.registerTrunk("ST_abc");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void noAuthorizationAtAllIsTwirpUnauthenticated() {
        HttpResponse<String> response = postJson(fake, CREATE_SIP, DIAL, "");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}");
        assertThat(fake.participants("r1")).isEmpty();
    }

    @Test
    void headerWithoutBearerPrefixIsPlainText401() {
        String token = sipCallBearer(fake).substring("Bearer ".length());

        HttpResponse<String> response = postJson(fake, CREATE_SIP, DIAL, token);

        assertPlainUnauthorized(response, "invalid authorization header. Must start with Bearer ");
    }

    @Test
    void malformedTokenIsPlainText401() {
        assertPlainUnauthorized(postJson(fake, CREATE_SIP, DIAL, "Bearer not-a-jwt"), "invalid authorization token");
    }

    @Test
    void unsignedTokenIsRejectedAtParseTime() {
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload =
                rawToken(claims(fake, Map.of("sip", Map.of("call", true))), "x").split("\\.")[1];

        assertPlainUnauthorized(
                postJson(fake, CREATE_SIP, DIAL, "Bearer " + header + "." + payload + "."),
                "invalid authorization token");
    }

    @Test
    void unknownApiKeyIsPlainText401() {
        var claims = claims(fake, Map.of("sip", Map.of("call", true)));
        claims.put("iss", "otherkey");

        assertPlainUnauthorized(
                postJson(fake, CREATE_SIP, DIAL, "Bearer " + rawToken(claims, fake.apiSecret())),
                "invalid API key: otherkey");
    }

    @Test
    void badSignatureIsPlainText401() {
        String token = rawToken(claims(fake, Map.of("sip", Map.of("call", true))), "wrong-secret-wrong-secret-wrong");

        HttpResponse<String> response = postJson(fake, CREATE_SIP, DIAL, "Bearer " + token);

        assertPlainUnauthorized(response, "invalid token: " + token + ", error: ");
    }

    @Test
    void expiredTokenIsPlainText401ButOneMinuteOfLeewayIsAllowed() {
        var expired = claims(fake, Map.of("sip", Map.of("call", true)));
        expired.put("exp", Instant.now().minusSeconds(120).getEpochSecond());
        assertPlainUnauthorized(
                postJson(fake, CREATE_SIP, DIAL, "Bearer " + rawToken(expired, fake.apiSecret())), "invalid token: ");

        var withinLeeway = claims(fake, Map.of("sip", Map.of("call", true)));
        withinLeeway.put("exp", Instant.now().minusSeconds(30).getEpochSecond());
        assertThat(postJson(fake, CREATE_SIP, DIAL, "Bearer " + rawToken(withinLeeway, fake.apiSecret()))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void tokenWithoutExpIsPlainText401() {
        var claims = new LinkedHashMap<String, Object>(Map.of("iss", fake.apiKey(), "sip", Map.of("call", true)));

        assertPlainUnauthorized(
                postJson(fake, CREATE_SIP, DIAL, "Bearer " + rawToken(claims, fake.apiSecret())), "invalid token: ");
    }

    @Test
    void notBeforeInTheFutureIsPlainText401() {
        var claims = claims(fake, Map.of("sip", Map.of("call", true)));
        claims.put("nbf", Instant.now().plusSeconds(300).getEpochSecond());

        assertPlainUnauthorized(
                postJson(fake, CREATE_SIP, DIAL, "Bearer " + rawToken(claims, fake.apiSecret())), "invalid token: ");
    }

    @Test
    void accessTokenQueryParameterIsAccepted() {
        String token = sipCallBearer(fake).substring("Bearer ".length());
        HttpResponse<String> response = FakeLiveKitClients.send(
                HttpRequest.newBuilder(URI.create(fake.url() + CREATE_SIP + "?access_token=" + token))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(DIAL))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void middlewareRunsBeforeRoutingSoABadTokenOnAnUnknownRouteIsStillPlainText() {
        assertPlainUnauthorized(
                postJson(fake, "/twirp/livekit.Nope/Nothing", "{}", "Bearer x.y.z"), "invalid authorization token");
    }

    @ParameterizedTest(name = "{0} without {2}")
    @MethodSource("grantRequirements")
    void missingGrantIsTwirpUnauthenticated(String rpc, String body, String missingGrant) {
        HttpResponse<String> allowed = postJson(fake, "/twirp/livekit." + rpc, body, bearer(allGrants()));
        assertThat(allowed.statusCode())
                .as("control with every grant: %s", allowed.body())
                .isNotEqualTo(401);

        HttpResponse<String> denied = postJson(fake, "/twirp/livekit." + rpc, body, bearer(without(missingGrant)));

        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.body()).isEqualTo("{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}");
    }

    static Stream<Arguments> grantRequirements() {
        String transfer = "{\"room_name\":\"r1\",\"participant_identity\":\"p\",\"transfer_to\":\"tel:+1202\"}";
        String identity = "{\"room\":\"r1\",\"identity\":\"p\"}";
        return Stream.of(
                Arguments.of("SIP/CreateSIPParticipant", DIAL, "sip.call"),
                Arguments.of("SIP/TransferSIPParticipant", transfer, "sip.call"),
                Arguments.of("SIP/TransferSIPParticipant", transfer, "video.roomAdmin"),
                Arguments.of("SIP/TransferSIPParticipant", transfer, "video.room"),
                Arguments.of("RoomService/CreateRoom", "{\"name\":\"r1\"}", "video.roomCreate"),
                Arguments.of("RoomService/DeleteRoom", "{\"room\":\"r1\"}", "video.roomCreate"),
                Arguments.of("RoomService/ListRooms", "{}", "video.roomList"),
                Arguments.of("RoomService/ListParticipants", "{\"room\":\"r1\"}", "video.roomAdmin"),
                Arguments.of("RoomService/ListParticipants", "{\"room\":\"r1\"}", "video.room"),
                Arguments.of("RoomService/GetParticipant", identity, "video.roomAdmin"),
                Arguments.of("RoomService/GetParticipant", identity, "video.room"),
                Arguments.of("RoomService/RemoveParticipant", identity, "video.roomAdmin"),
                Arguments.of("RoomService/RemoveParticipant", identity, "video.room"),
                Arguments.of(
                        "AgentDispatchService/CreateDispatch",
                        "{\"room\":\"r1\",\"agent_name\":\"a\"}",
                        "video.roomAdmin"),
                Arguments.of(
                        "AgentDispatchService/CreateDispatch", "{\"room\":\"r1\",\"agent_name\":\"a\"}", "video.room"),
                Arguments.of(
                        "AgentDispatchService/DeleteDispatch",
                        "{\"room\":\"r1\",\"dispatch_id\":\"AD_x\"}",
                        "video.roomAdmin"),
                Arguments.of("AgentDispatchService/ListDispatch", "{\"room\":\"r1\"}", "video.room"),
                Arguments.of("Egress/StartRoomCompositeEgress", "{\"room_name\":\"r1\"}", "video.roomRecord"),
                Arguments.of("Egress/StopEgress", "{\"egress_id\":\"EG_x\"}", "video.roomRecord"),
                Arguments.of("Egress/ListEgress", "{}", "video.roomRecord"));
    }

    @Test
    void sipCallAloneIsEnoughToDialAndGrantsAreNotSharedAcrossRooms() {
        assertThat(postJson(fake, CREATE_SIP, DIAL, sipCallBearer(fake)).statusCode())
                .isEqualTo(200);

        HttpResponse<String> otherRoom = postJson(
                fake,
                "/twirp/livekit.RoomService/GetParticipant",
                "{\"room\":\"r1\",\"identity\":\"sip_+12025550101\"}",
                FakeLiveKitClients.allGrantsBearer(fake, "r2"));
        assertThat(otherRoom.statusCode()).isEqualTo(401);
        assertThat(json(otherRoom).get("code").getAsString()).isEqualTo("unauthenticated");
    }

    private String bearer(Map<String, Object> custom) {
        return "Bearer " + rawToken(claims(fake, custom), fake.apiSecret());
    }

    private static Map<String, Object> allGrants() {
        var video = new HashMap<String, Object>(Map.of(
                "roomCreate",
                true,
                "roomList",
                true,
                "roomRecord",
                true,
                "roomAdmin",
                true,
                "roomJoin",
                true,
                "room",
                "r1"));
        var sip = new HashMap<String, Object>(Map.of("admin", true, "call", true));
        return new HashMap<>(Map.of("video", video, "sip", sip));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> without(String grant) {
        Map<String, Object> all = allGrants();
        String[] path = grant.split("\\.");
        var section = (Map<String, Object>) all.get(path[0]);
        if (path[1].equals("room")) {
            section.put("room", "another-room");
        } else {
            section.remove(path[1]);
        }
        return all;
    }

    private static void assertPlainUnauthorized(HttpResponse<String> response, String bodyPrefix) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).startsWith(bodyPrefix);
    }
}
