package dev.dialplane.trunks;

import dev.dialplane.common.Jdbc;
import dev.dialplane.common.Keyset;
import dev.dialplane.common.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TrunkRepository {

    private final JdbcClient jdbc;

    TrunkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A trunk row together with its encrypted password, which stays inside this module. */
    record Row(SipTrunk trunk, @Nullable String passwordCiphertext) {}

    void insert(SipTrunk trunk, @Nullable String passwordCiphertext) {
        jdbc.sql("""
                        insert into sip_trunks (id, organization_id, name, address, transport, username, password_ciphertext,
                            destination_country, livekit_trunk_id, cps_limit, max_channels, created_at, updated_at)
                        values (:id, :org, :name, :address, :transport, :username, :password,
                            :country, :livekitTrunkId, :cps, :channels, :createdAt, :updatedAt)""")
                .paramSource(columns(trunk, passwordCiphertext)
                        .addValue("org", trunk.organizationId())
                        .addValue("createdAt", Jdbc.utc(trunk.createdAt())))
                .update();
    }

    void update(SipTrunk trunk, @Nullable String passwordCiphertext) {
        jdbc.sql("""
                        update sip_trunks set name = :name, address = :address, transport = :transport, username = :username,
                            password_ciphertext = :password, destination_country = :country,
                            livekit_trunk_id = :livekitTrunkId, cps_limit = :cps, max_channels = :channels,
                            updated_at = :updatedAt
                        where id = :id""").paramSource(columns(trunk, passwordCiphertext)).update();
    }

    /** The parameters an insert and an update both write. */
    private static MapSqlParameterSource columns(SipTrunk trunk, @Nullable String passwordCiphertext) {
        return new MapSqlParameterSource()
                .addValue("id", trunk.id())
                .addValue("name", trunk.name())
                .addValue("address", trunk.address())
                .addValue("transport", trunk.transport().toString())
                .addValue("username", trunk.username())
                .addValue("password", passwordCiphertext)
                .addValue("country", trunk.destinationCountry())
                .addValue("livekitTrunkId", trunk.livekitTrunkId())
                .addValue("cps", trunk.cpsLimit())
                .addValue("channels", trunk.maxChannels())
                .addValue("updatedAt", Jdbc.utc(trunk.updatedAt()));
    }

    /** The organization's own trunk, or a shared one: what its numbers may use. */
    Optional<Row> findVisible(UUID organizationId, UUID id) {
        return jdbc.sql(
                        "select * from sip_trunks where id = :id and (organization_id = :org or organization_id is null)")
                .param("id", id)
                .param("org", organizationId)
                .query(TrunkRepository::map)
                .optional();
    }

    Optional<Row> findShared(UUID id) {
        return jdbc.sql("select * from sip_trunks where id = :id and organization_id is null")
                .param("id", id)
                .query(TrunkRepository::map)
                .optional();
    }

    /** The organization's trunks and the shared ones, newest first. */
    List<Row> listVisible(UUID organizationId, PageRequest page) {
        var query = jdbc.sql("select * from sip_trunks where (organization_id = :org or organization_id is null) and "
                        + Keyset.AFTER_CURSOR + " " + Keyset.ORDER_AND_LIMIT)
                .param("org", organizationId);
        return Keyset.bind(query, page).query(TrunkRepository::map).list();
    }

    List<Row> listShared(PageRequest page) {
        var query = jdbc.sql("select * from sip_trunks where organization_id is null and " + Keyset.AFTER_CURSOR + " "
                + Keyset.ORDER_AND_LIMIT);
        return Keyset.bind(query, page).query(TrunkRepository::map).list();
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from sip_trunks where id = :id").param("id", id).update() == 1;
    }

    private static Row map(ResultSet rs, int row) throws SQLException {
        var ciphertext = rs.getString("password_ciphertext");
        var trunk = new SipTrunk(
                Jdbc.requiredUuid(rs, "id"),
                Jdbc.uuid(rs, "organization_id"),
                rs.getString("name"),
                rs.getString("address"),
                SipTransport.fromDatabase(rs.getString("transport")),
                rs.getString("username"),
                ciphertext != null,
                rs.getString("destination_country"),
                rs.getString("livekit_trunk_id"),
                Jdbc.integer(rs, "cps_limit"),
                Jdbc.integer(rs, "max_channels"),
                Jdbc.requiredInstant(rs, "created_at"),
                Jdbc.requiredInstant(rs, "updated_at"));
        return new Row(trunk, ciphertext);
    }
}
