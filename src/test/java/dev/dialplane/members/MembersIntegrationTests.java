package dev.dialplane.members;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialplane.support.Api;
import dev.dialplane.support.LiveKitIntegrationTest;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Organization members through the API: the owner at organization creation, /members, the last owner. */
class MembersIntegrationTests extends LiveKitIntegrationTest {

    private static final String PASSWORD = "correct horse battery";

    private static String email() {
        return "m-" + UUID.randomUUID() + "@example.com";
    }

    private Api orgWithOwner(String email) {
        var created = admin().post(
                        "/admin/organizations",
                        body("name", "Org " + UUID.randomUUID(), "owner_email", email, "owner_password", PASSWORD));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.text()).doesNotContain(PASSWORD);
        return Api.at(port).withKey(created.json().get("api_key").asString());
    }

    @Test
    void anOrganizationCreatedWithAnOwnerListsThatOwner() {
        var email = email();
        var api = orgWithOwner(email);

        var members = api.get("/members");

        assertThat(members.status()).as(members.text()).isEqualTo(200);
        var data = members.json().get("data");
        assertThat(data.size()).isEqualTo(1);
        assertThat(data.get(0).get("email").asString()).isEqualTo(email);
        assertThat(data.get(0).get("role").asString()).isEqualTo("owner");
        assertThat(data.get(0).get("last_sign_in_at").isNull()).isTrue();
        assertThat(members.text()).doesNotContain("password").doesNotContain("$2a$");
    }

    @Test
    void theOwnersEmailAndPasswordComeTogetherAndThePasswordIsLongEnough() {
        var onlyEmail = admin().post("/admin/organizations", body("name", "Org", "owner_email", email()));
        assertThat(onlyEmail.status()).isEqualTo(422);
        assertThat(message(onlyEmail.json(), "owner_password")).isEqualTo("is required with owner_email");

        var onlyPassword = admin().post("/admin/organizations", body("name", "Org", "owner_password", PASSWORD));
        assertThat(onlyPassword.status()).isEqualTo(422);
        assertThat(message(onlyPassword.json(), "owner_email")).isEqualTo("is required with owner_password");

        var shortPassword = admin().post(
                        "/admin/organizations", body("name", "Org", "owner_email", email(), "owner_password", "short"));
        assertThat(shortPassword.status()).isEqualTo(422);
        assertThat(message(shortPassword.json(), "owner_password")).isEqualTo("must be at least 12 characters");
        assertThat(shortPassword.text()).doesNotContain("\"short\"");

        var badEmail = admin().post(
                        "/admin/organizations",
                        body("name", "Org", "owner_email", "not-an-email", "owner_password", PASSWORD));
        assertThat(badEmail.status()).isEqualTo(422);
        assertThat(message(badEmail.json(), "owner_email")).isEqualTo("must be an email address");

        var tooLong = admin().post(
                        "/admin/organizations",
                        body("name", "Org", "owner_email", email(), "owner_password", "é".repeat(40)));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(message(tooLong.json(), "owner_password")).isEqualTo("must be at most 72 bytes in UTF-8");
    }

    @Test
    void anEmailIsOneMemberWhateverItsCase() {
        var email = email();
        orgWithOwner(email);

        var again = admin().post(
                        "/admin/organizations",
                        body("name", "Org", "owner_email", email.toUpperCase(Locale.ROOT), "owner_password", PASSWORD));

        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("MEMBER_EXISTS");

        var other = orgWithOwner(email());
        var invite = other.post(
                "/members", Map.of("email", email.toUpperCase(Locale.ROOT), "password", PASSWORD, "role", "viewer"));
        assertThat(invite.status()).isEqualTo(409);
        assertThat(invite.json().get("code").asString()).isEqualTo("MEMBER_EXISTS");
    }

    @Test
    void anApiKeyAddsAndRemovesMembersButNeverTheLastOwner() {
        var ownerEmail = email();
        var api = orgWithOwner(ownerEmail);
        var owner = api.get("/members").json().get("data").get(0);

        var last = api.delete("/members/" + owner.get("id").asString());
        assertThat(last.status()).as(last.text()).isEqualTo(409);
        assertThat(last.json().get("code").asString()).isEqualTo("LAST_OWNER");

        var viewer = api.post("/members", Map.of("email", email(), "password", PASSWORD, "role", "viewer"));
        assertThat(viewer.status()).as(viewer.text()).isEqualTo(201);
        assertThat(viewer.json().get("role").asString()).isEqualTo("viewer");
        assertThat(viewer.text()).doesNotContain(PASSWORD);
        var second = create(api, "/members", Map.of("email", email(), "password", PASSWORD, "role", "owner"));

        assertThat(api.delete("/members/" + owner.get("id").asString()).status())
                .isEqualTo(204);
        assertThat(api.get("/members/" + owner.get("id").asString()).status()).isEqualTo(404);
        var lastAgain = api.delete("/members/" + second.get("id").asString());
        assertThat(lastAgain.status()).isEqualTo(409);
        assertThat(api.delete("/members/" + viewer.json().get("id").asString()).status())
                .isEqualTo(204);
    }

    @Test
    void aMemberRequestNamesEveryBadField() {
        var api = orgWithOwner(email());

        var bad = api.post("/members", Map.of("email", "nobody", "password", "short", "role", "boss"));

        assertThat(bad.status()).isEqualTo(422);
        assertThat(fields(bad.json())).containsExactly("email", "password", "role");
        assertThat(message(bad.json(), "role")).isEqualTo("must be one of owner, admin, viewer");
        var empty = api.post("/members", Map.of());
        assertThat(empty.status()).isEqualTo(422);
        assertThat(fields(empty.json())).containsExactly("email", "password", "role");
    }

    @Test
    void anotherOrganizationsMemberIsNotFound() {
        var mine = orgWithOwner(email());
        var theirs = orgWithOwner(email());
        var theirOwner =
                theirs.get("/members").json().get("data").get(0).get("id").asString();

        assertThat(mine.get("/members/" + theirOwner).status()).isEqualTo(404);
        var delete = mine.delete("/members/" + theirOwner);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(delete.json().get("code").asString()).isEqualTo("MEMBER_NOT_FOUND");
        assertThat(anonymous().get("/members").status()).isEqualTo(401);
    }
}
