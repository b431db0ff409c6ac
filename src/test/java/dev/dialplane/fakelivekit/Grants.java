package dev.dialplane.fakelivekit;

import java.util.Map;

/**
 * The custom claims livekit-server checks for its server APIs (contract §2.3, §2.4). A request without any token gets
 * {@link #NONE}: it passes the middleware and then fails each handler's permission check with Twirp unauthenticated.
 */
record Grants(
        boolean roomCreate,
        boolean roomList,
        boolean roomRecord,
        boolean roomAdmin,
        boolean roomJoin,
        String room,
        boolean sipAdmin,
        boolean sipCall) {

    static final Grants NONE = new Grants(false, false, false, false, false, "", false, false);

    static Grants fromClaims(Map<String, Object> claims) {
        Map<?, ?> video = claims.get("video") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> sip = claims.get("sip") instanceof Map<?, ?> m ? m : Map.of();
        return new Grants(
                flag(video, "roomCreate"),
                flag(video, "roomList"),
                flag(video, "roomRecord"),
                flag(video, "roomAdmin"),
                flag(video, "roomJoin"),
                video.get("room") instanceof String s ? s : "",
                flag(sip, "admin"),
                flag(sip, "call"));
    }

    private static boolean flag(Map<?, ?> map, String name) {
        return Boolean.TRUE.equals(map.get(name));
    }

    void requireSipCall() {
        require(sipCall);
    }

    void requireRoomCreate() {
        require(roomCreate);
    }

    void requireRoomList() {
        require(roomList);
    }

    void requireRoomRecord() {
        require(roomRecord);
    }

    /** roomAdmin alone is not enough: the token must also be scoped to exactly this room. */
    void requireRoomAdmin(String roomName) {
        require(roomAdmin && room.equals(roomName));
    }

    private static void require(boolean granted) {
        if (!granted) {
            throw TwirpException.permissionsDenied();
        }
    }
}
