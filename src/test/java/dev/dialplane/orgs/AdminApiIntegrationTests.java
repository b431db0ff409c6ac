package dev.dialplane.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminApiIntegrationTests extends LiveKitIntegrationTest {

    @Test
    void createsAnOrganizationWithItsFirstKey() {
        var response = admin().post("/admin/organizations", Map.of("name", "Acme Voice", "credits", 250.5));
        assertThat(response.status()).isEqualTo(201);
        var org = response.json();
        assertThat(org.propertyNames())
                .containsExactly(
                        "id",
                        "name",
                        "credits",
                        "reserved_credits",
                        "rate_per_minute",
                        "low_credit_threshold",
                        "max_concurrent_calls",
                        "created_at",
                        "api_key");
        assertThat(org.get("credits").decimalValue()).isEqualByComparingTo("250.5");

        var key = anonymous().withKey(org.get("api_key").asString());
        assertThat(key.get("/agents").status()).isEqualTo(200);
        var read =
                admin().get("/admin/organizations/" + org.get("id").asString()).json();
        assertThat(read.has("api_key")).isFalse();
    }

    @Test
    void addsCredits() {
        var org = newOrganization();
        var response = admin().post("/admin/organizations/" + org.id() + "/credits", Map.of("amount", 25));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("credits").decimalValue()).isEqualByComparingTo("125");

        var negative = admin().post("/admin/organizations/" + org.id() + "/credits", Map.of("amount", -5));
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.json().get("errors").get(0).get("field").asString()).isEqualTo("amount");
        var missing =
                admin().post("/admin/organizations/3c90c3cc-0d44-4b50-8888-8dd25736052a/credits", Map.of("amount", 5));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void validatesTheOrganization() {
        var blank = admin().post("/admin/organizations", Map.of("name", " "));
        assertThat(blank.status()).isEqualTo(422);
        var tooPrecise = admin().post("/admin/organizations", Map.of("name", "x", "credits", 1.23456));
        assertThat(tooPrecise.status()).isEqualTo(422);
        assertThat(tooPrecise.json().get("errors").get(0).get("field").asString())
                .isEqualTo("credits");
    }

    @Test
    void needsTheAdminToken() {
        assertThat(anonymous().post("/admin/organizations", Map.of("name", "x")).status())
                .isEqualTo(401);
        assertThat(anonymous()
                        .withKey("wrong")
                        .post("/admin/organizations", Map.of("name", "x"))
                        .status())
                .isEqualTo(401);
        var orgKey = newOrganization().api();
        assertThat(orgKey.post("/admin/organizations", Map.of("name", "x")).status())
                .isEqualTo(401);
    }
}
