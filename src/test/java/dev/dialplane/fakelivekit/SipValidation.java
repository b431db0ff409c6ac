package dev.dialplane.fakelivekit;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPOutboundConfig;
import livekit.LivekitSip.TransferSIPParticipantRequest;

/**
 * Stateless request checks of protocol {@code livekit/sip.go} / {@code sip_validation.go} (contract §1), in the order
 * the server runs them. Every failure is Twirp invalid_argument.
 */
final class SipValidation {

    private SipValidation() {}

    /** Names a caller may not set; §1 {@code headers} row (includes the compact forms). */
    private static final Set<String> FORBIDDEN_HEADERS = Set.of(
            "accept",
            "accept-encoding",
            "accept-language",
            "allow",
            "allow-events",
            "call-id",
            "contact",
            "content-encoding",
            "content-length",
            "content-type",
            "cseq",
            "event",
            "expires",
            "from",
            "max-forwards",
            "record-route",
            "refer-to",
            "reply-to",
            "k",
            "l",
            "m",
            "o",
            "r",
            "t",
            "u",
            "v");

    /** Headers whose value is a name-addr and so must carry a sip:, sips: or tel: URI. */
    private static final Set<String> NAME_ADDR_HEADERS = Set.of("to", "route", "p-asserted-identity");

    private static final String TOKEN_PUNCTUATION = "-.!%*_+`'~";

    static void validateCreate(CreateSIPParticipantRequest req) {
        if (req.getSipTrunkId().isEmpty()
                && !req.hasTrunk()
                && req.getSipNumber().isEmpty()) {
            throw TwirpException.invalidArgument("missing sip trunk id and sip number");
        }
        if (req.hasTrunk()) {
            validateInlineTrunk(req.getTrunk());
        }
        if (req.getSipCallTo().isEmpty()) {
            throw TwirpException.invalidArgument("missing sip callee number");
        }
        if (req.getSipCallTo().contains("@")) {
            throw TwirpException.invalidArgument("SipCallTo should be a phone number or SIP user, not a full SIP URI");
        }
        if (req.getRoomName().isEmpty()) {
            throw TwirpException.invalidArgument("missing room name");
        }
        if (req.hasDisplayName()) {
            validateDisplayName(req.getDisplayName());
        }
        if (req.hasDestination()) {
            validateDestination(
                    req.getDestination().getCity(),
                    req.getDestination().getCountry(),
                    req.getDestination().getRegion());
        }
        validateHeaders(req.getHeadersMap());
    }

    static void validateTransfer(TransferSIPParticipantRequest req) {
        if (req.getRoomName().isEmpty()) {
            throw TwirpException.invalidArgument("missing room name");
        }
        if (req.getParticipantIdentity().isEmpty()) {
            throw TwirpException.invalidArgument("missing participant identity");
        }
        if (req.getTransferTo().isEmpty()) {
            throw TwirpException.invalidArgument("missing transfer to");
        }
        String uri = req.getTransferTo();
        if (uri.startsWith("<") && uri.endsWith(">")) {
            uri = uri.substring(1, uri.length() - 1);
        }
        if (!uri.startsWith("sip:") && !uri.startsWith("tel:")) {
            throw TwirpException.invalidArgument("transfer_to must be a valid SIP or TEL URI (sip: or tel:)");
        }
        validateHeaders(req.getHeadersMap());
    }

    private static void validateInlineTrunk(SIPOutboundConfig trunk) {
        String host = trunk.getHostname();
        if (host.isEmpty()) {
            throw TwirpException.invalidArgument("no outbound hostname specified");
        }
        if (host.contains("transport=")) {
            throw TwirpException.invalidArgument("trunk transport should be set as a field, not a URI parameter");
        }
        if (host.contains("@") || host.contains(";") || host.contains("sip:") || host.contains("sips:")) {
            throw TwirpException.invalidArgument("trunk hostname should be a domain name or IP, not SIP URI");
        }
        for (String header : trunk.getHeadersToAttributesMap().keySet()) {
            checkHeaderName(header, false);
        }
        for (String header : trunk.getAttributesToHeadersMap().values()) {
            checkHeaderName(header, false);
        }
    }

    private static void validateDisplayName(String name) {
        if (name.length() > 128) {
            throw TwirpException.invalidArgument("DisplayName too long (max 128 characters)");
        }
        // The server runs strconv.Unquote on "\"" + name + "\"": a bare quote, a control character or an unknown
        // escape makes that fail.
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean bad = c == '"' || c < 0x20 || c == 0x7f;
            if (c == '\\') {
                bad = i + 1 >= name.length() || "abfnrtv\\\"'xuU01234567".indexOf(name.charAt(i + 1)) < 0;
                i++;
            }
            if (bad) {
                throw TwirpException.invalidArgument("DisplayName must be a valid quoted string: invalid syntax");
            }
        }
    }

    private static void validateDestination(String city, String country, String region) {
        if (!city.isEmpty() && country.isEmpty() && region.isEmpty()) {
            throw TwirpException.invalidArgument("if city is specified, country or region must also be specified");
        }
        if (!country.isEmpty()
                && (country.length() != 2 || !Set.of(Locale.getISOCountries()).contains(country))) {
            throw TwirpException.invalidArgument(
                    "country must be a valid ISO 3166-1 alpha-2 code (2-letter like 'US', 'IN', 'UK')");
        }
    }

    static void validateHeaders(Map<String, String> headers) {
        for (var header : headers.entrySet()) {
            checkHeaderName(header.getKey(), true);
            checkHeaderValue(header.getKey(), header.getValue());
        }
    }

    private static void checkHeaderName(String name, boolean rejectForbidden) {
        if (name.isEmpty()) {
            throw invalidName("header name cannot be empty");
        }
        if (name.length() > 255) {
            throw invalidName("header name too long (max 255 characters)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || TOKEN_PUNCTUATION.indexOf(c) >= 0;
            if (!token) {
                throw invalidName(
                        "header name " + name + " contains invalid characters: char " + (int) c + " not allowed");
            }
        }
        if (rejectForbidden && FORBIDDEN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw invalidName("header name " + name + " not supported");
        }
    }

    private static void checkHeaderValue(String name, String value) {
        if (value.length() > 1024) {
            throw invalidValue(name, "header " + name + ": value too long (max 1024 characters)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // Stricter than RFC 3261 on purpose, as the contract says the server is: printable ASCII and HTAB only.
            if (!(c == '\t' || (c >= 0x20 && c <= 0x7e))) {
                throw invalidValue(name, "header " + name + ": value: char " + (int) c + " not allowed");
            }
        }
        if (NAME_ADDR_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !value.isEmpty()) {
            checkNameAddr(name, value);
        }
    }

    private static void checkNameAddr(String name, String value) {
        String uri = value;
        int open = value.indexOf('<');
        int close = value.indexOf('>');
        if ((open < 0) != (close < 0) || open > close) {
            throw invalidValue(name, "header " + name + ": value: mismatched angle brackets");
        }
        if (open >= 0) {
            uri = value.substring(open + 1, close);
        }
        String scheme = uri.split(":", 2)[0];
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            throw invalidValue(name, "header " + name + ": value: uri: scheme not one of sip, sips, or tel");
        }
        if (uri.contains(" ")) {
            throw invalidValue(name, "header " + name + ": value: uri: contains spaces");
        }
    }

    private static TwirpException invalidName(String reason) {
        return TwirpException.invalidArgument("invalid header name: " + reason);
    }

    private static TwirpException invalidValue(String name, String reason) {
        return TwirpException.invalidArgument("invalid header value for " + name + ": " + reason);
    }
}
