package dev.dialplane.fakelivekit;

import static dev.dialplane.fakelivekit.FakeLiveKitClients.retrofit;
import static dev.dialplane.fakelivekit.FakeLiveKitClients.sipCallBearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.livekit.server.SipService;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.Test;

/** When the fake says a request arrived: between the client sending it and reading the answer. */
class FakeLiveKitArrivalsTests {

    @Test
    void requestsOnOneKeepAliveConnectionAreEachStampedWhileTheirOwnExchangeWasUnderWay() throws IOException {
        try (var fake = FakeLiveKit.start()) {
            fake.registerTrunk("ST_abc");
            // one Retrofit client: OkHttp sends the requests one after another on one pooled connection
            SipService sip = retrofit(fake).create(SipService.class);
            var exchanges = new ArrayList<Instant[]>();
            for (int i = 0; i < 5; i++) {
                var before = Instant.now();
                var response = sip.createSipParticipant(
                                CreateSIPParticipantRequest.newBuilder()
                                        .setSipTrunkId("ST_abc")
                                        .setSipCallTo("+1202555010" + i)
                                        .setRoomName("call-" + i)
                                        .build(),
                                sipCallBearer(fake))
                        .execute();
                assertThat(response.code()).isEqualTo(200);
                exchanges.add(new Instant[] {before, Instant.now()});
            }

            var recorded = fake.requests("SIP", "CreateSIPParticipant");
            assertThat(recorded).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(recorded.get(i).receivedAt())
                        .as("request %d", i)
                        .isBetween(exchanges.get(i)[0], exchanges.get(i)[1]);
            }
        }
    }
}
