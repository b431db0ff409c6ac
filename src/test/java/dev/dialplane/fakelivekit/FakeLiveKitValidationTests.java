package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.json;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.postProto;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.Destination;
import livekit.LivekitSip.SIPOutboundConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CreateSIPParticipant request validation (§1): each rule is Twirp invalid_argument and nobody joins. */
class FakeLiveKitValidationTests {

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestIsRejected(
            String rule, UnaryOperator<CreateSIPParticipantRequest.Builder> change, String expectedMsgPrefix) {
        var valid = CreateSIPParticipantRequest.newBuilder()
                .setSipTrunkId("ST_abc")
                .setSipCallTo("+12025550101")
                .setRoomName("r1")
                .setWaitUntilAnswered(true);

        HttpResponse<String> response = postProto(
                fake,
                "/twirp/livekit.SIP/CreateSIPParticipant",
                change.apply(valid).build(),
                sipCallBearer(fake));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("code").getAsString()).isEqualTo("invalid_argument");
        assertThat(json(response).get("msg").getAsString()).startsWith(expectedMsgPrefix);
        assertThat(json(response).has("meta")).isFalse();
        assertThat(fake.rooms()).isEmpty();
    }

    @Test
    void headersWithinTheRulesAreAccepted() {
        var request = CreateSIPParticipantRequest.newBuilder()
                .setSipTrunkId("ST_abc")
                .setSipCallTo("+12025550101")
                .setRoomName("r1")
                .putHeaders("X-Dialplane-Call", "c-1")
                .putHeaders("P-Asserted-Identity", "\"Dialplane\" <sip:+15550100000@carrier.example>")
                .putHeaders("To", "<sip:+12025550101@carrier.example>")
                .setDisplayName("Dialplane \\\\ Support")
                .setDestination(Destination.newBuilder().setCity("Paris").setCountry("FR"))
                .build();

        HttpResponse<String> response =
                postProto(fake, "/twirp/livekit.SIP/CreateSIPParticipant", request, sipCallBearer(fake));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                rule("missing sip_call_to", b -> b.clearSipCallTo(), "missing sip callee number"),
                rule("missing room_name", b -> b.clearRoomName(), "missing room name"),
                rule(
                        "no trunk, inline trunk or number",
                        b -> b.clearSipTrunkId(),
                        "missing sip trunk id and sip number"),
                rule(
                        "full SIP URI as callee",
                        b -> b.setSipCallTo("bob@example.com"),
                        "SipCallTo should be a phone number or SIP user"),
                rule(
                        "inline trunk without hostname",
                        b -> b.clearSipTrunkId().setSipNumber("+1555").setTrunk(SIPOutboundConfig.newBuilder()),
                        "no outbound hostname specified"),
                rule(
                        "inline trunk hostname as sip: URI",
                        b -> b.clearSipTrunkId()
                                .setSipNumber("+1555")
                                .setTrunk(SIPOutboundConfig.newBuilder().setHostname("sip:carrier.example")),
                        "trunk hostname should be a domain name or IP"),
                rule(
                        "inline trunk hostname with user",
                        b -> b.clearSipTrunkId()
                                .setSipNumber("+1555")
                                .setTrunk(SIPOutboundConfig.newBuilder().setHostname("me@carrier.example")),
                        "trunk hostname should be a domain name or IP"),
                rule(
                        "inline trunk hostname with parameter",
                        b -> b.clearSipTrunkId()
                                .setSipNumber("+1555")
                                .setTrunk(SIPOutboundConfig.newBuilder().setHostname("carrier.example;lr")),
                        "trunk hostname should be a domain name or IP"),
                rule(
                        "inline trunk hostname with transport",
                        b -> b.clearSipTrunkId()
                                .setSipNumber("+1555")
                                .setTrunk(SIPOutboundConfig.newBuilder().setHostname("carrier.example;transport=tcp")),
                        "trunk transport should be set as a field"),
                rule("header name with a space", b -> b.putHeaders("X Bad", "v"), "invalid header name"),
                rule(
                        "header name longer than 255",
                        b -> b.putHeaders("X-" + "a".repeat(254), "v"),
                        "invalid header name: header name too long"),
                rule(
                        "forbidden header From",
                        b -> b.putHeaders("From", "sip:me@x"),
                        "invalid header name: header name From not supported"),
                rule(
                        "forbidden compact header",
                        b -> b.putHeaders("m", "x"),
                        "invalid header name: header name m not supported"),
                rule("forbidden header Call-ID", b -> b.putHeaders("Call-ID", "x"), "invalid header name"),
                rule(
                        "header value over 1024",
                        b -> b.putHeaders("X-Long", "v".repeat(1025)),
                        "invalid header value for X-Long"),
                rule("header value with UTF-8", b -> b.putHeaders("X-Name", "Zoë"), "invalid header value for X-Name"),
                rule(
                        "header value with newline",
                        b -> b.putHeaders("X-Name", "a\r\nVia: x"),
                        "invalid header value for X-Name"),
                rule(
                        "P-Asserted-Identity without URI",
                        b -> b.putHeaders("P-Asserted-Identity", "+12025550100"),
                        "invalid header value for P-Asserted-Identity"),
                rule("display_name over 128", b -> b.setDisplayName("d".repeat(129)), "DisplayName too long"),
                rule(
                        "display_name with a bare quote",
                        b -> b.setDisplayName("a\"b"),
                        "DisplayName must be a valid quoted string"),
                rule(
                        "destination city alone",
                        b -> b.setDestination(Destination.newBuilder().setCity("Paris")),
                        "if city is specified"),
                rule(
                        "destination country not alpha-2",
                        b -> b.setDestination(Destination.newBuilder().setCountry("USA")),
                        "country must be a valid ISO 3166-1 alpha-2 code"));
    }

    private static Arguments rule(String name, UnaryOperator<CreateSIPParticipantRequest.Builder> change, String msg) {
        return Arguments.of(name, change, msg);
    }
}
