package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.allGrantsBearer;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.json;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.post;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postJson;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPMediaEncryption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Twirp's JSON flavour (§2.2) and its routing errors. */
class FakeLiveKitJsonTests {

    private static final String CREATE_SIP = "/twirp/livekit.SIP/CreateSIPParticipant";

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
    void jsonRequestGetsSnakeCaseJsonWithDefaultValues() {
        HttpResponse<String> response = postJson(fake, CREATE_SIP, """
                {"sip_trunk_id":"ST_abc","sip_call_to":"+12025550101","room_name":"r1"}
                """, sipCallBearer(fake));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        var body = json(response);
        assertThat(body.keySet())
                .containsExactlyInAnyOrder("participant_id", "participant_identity", "room_name", "sip_call_id");
        assertThat(body.get("room_name").getAsString()).isEqualTo("r1");

        HttpResponse<String> rooms =
                postJson(fake, "/twirp/livekit.RoomService/ListRooms", "{}", allGrantsBearer(fake, "r1"));
        var room = json(rooms).getAsJsonArray("rooms").get(0).getAsJsonObject();
        // Defaults are printed (num_publishers 0, active_recording false) and int64 come as strings.
        assertThat(room.get("num_publishers").getAsInt()).isZero();
        assertThat(room.get("active_recording").getAsBoolean()).isFalse();
        assertThat(room.get("creation_time").isJsonPrimitive()).isTrue();
        assertThat(room.get("creation_time").getAsJsonPrimitive().isString()).isTrue();
        assertThat(room.has("creationTime")).isFalse();
    }

    @Test
    void jsonRequestAcceptsCamelCaseDurationsEnumsAndCharsetParameter() {
        HttpResponse<String> response = FakeLiveKitClients.post(
                fake,
                CREATE_SIP,
                "application/json; charset=UTF-8",
                """
                {"sipTrunkId":"ST_abc","sipCallTo":"+12025550101","roomName":"r1","ringingTimeout":"30s",
                 "mediaEncryption":"SIP_MEDIA_ENCRYPT_ALLOW","includeHeaders":2,"unknownField":true}
                """.getBytes(StandardCharsets.UTF_8),
                sipCallBearer(fake),
                new String[0],
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        var received = fake.awaitRequest("SIP", "CreateSIPParticipant", FakeLiveKitClients.TIMEOUT)
                .bodyAs(CreateSIPParticipantRequest.class);
        assertThat(received.getSipCallTo()).isEqualTo("+12025550101");
        assertThat(Durations.toSeconds(received.getRingingTimeout())).isEqualTo(30);
        assertThat(received.getMediaEncryption()).isEqualTo(SIPMediaEncryption.SIP_MEDIA_ENCRYPT_ALLOW);
        assertThat(received.getIncludeHeadersValue()).isEqualTo(2);
    }

    @Test
    void otherContentTypeIsBadRoute() {
        HttpResponse<String> response = post(
                fake,
                CREATE_SIP,
                "application/x-protobuf",
                new byte[0],
                sipCallBearer(fake),
                new String[0],
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response).get("code").getAsString()).isEqualTo("bad_route");
        assertThat(json(response).get("msg").getAsString())
                .isEqualTo("unexpected Content-Type: \"application/x-protobuf\"");
    }

    @Test
    void unknownRouteAndNonPostAreBadRoute() {
        HttpResponse<String> unknown =
                postJson(fake, "/twirp/livekit.SIP/CreateSIPTrunkThing", "{}", sipCallBearer(fake));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("code").getAsString()).isEqualTo("bad_route");
        assertThat(json(unknown)
                        .getAsJsonObject("meta")
                        .get("twirp_invalid_route")
                        .getAsString())
                .isEqualTo("POST /twirp/livekit.SIP/CreateSIPTrunkThing");

        HttpResponse<String> get = FakeLiveKitClients.send(
                HttpRequest.newBuilder(URI.create(fake.url() + CREATE_SIP))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(json(get).get("code").getAsString()).isEqualTo("bad_route");
        assertThat(json(get).get("msg").getAsString()).isEqualTo("unsupported method \"GET\" (only POST is allowed)");
    }

    @Test
    void undecodableBodiesAreMalformed() {
        HttpResponse<String> badJson = postJson(fake, CREATE_SIP, "{not json", sipCallBearer(fake));
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("code").getAsString()).isEqualTo("malformed");

        HttpResponse<String> badProto = post(
                fake,
                CREATE_SIP,
                "application/protobuf",
                new byte[] {(byte) 0xff},
                sipCallBearer(fake),
                new String[0],
                HttpResponse.BodyHandlers.ofString());
        assertThat(badProto.statusCode()).isEqualTo(400);
        assertThat(json(badProto).get("msg").getAsString()).isEqualTo("the protobuf request could not be decoded");
    }

    @Test
    void errorsForProtobufRequestsAreStillTwirpJson() {
        var response = FakeLiveKitClients.postProto(
                fake,
                CREATE_SIP,
                CreateSIPParticipantRequest.newBuilder()
                        .setSipTrunkId("ST_abc")
                        .setRoomName("r1")
                        .build(),
                sipCallBearer(fake));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"code\":\"invalid_argument\",\"msg\":\"missing sip callee number\"}");
    }
}
