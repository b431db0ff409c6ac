package dev.dialplane.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * The time zones a callee may be in, from the number alone (libphonenumber's prefix tables). A
 * number whose exact type libphonenumber cannot tell (a new range, a test number) falls back to its
 * prefix's zones, which for an unknown area are the whole country's: never fewer zones than the
 * number could be in. Empty when nothing is known (an unassigned country code).
 */
public final class CalleeTimeZones {

    private static final String UNKNOWN = "Etc/Unknown";

    private CalleeTimeZones() {}

    public static List<ZoneId> of(String e164) {
        var util = PhoneNumberUtil.getInstance();
        var mapper = PhoneNumberToTimeZonesMapper.getInstance();
        try {
            var number = util.parse(e164, null);
            var zones = mapper.getTimeZonesForNumber(number);
            if (zones.contains(UNKNOWN)) {
                zones = mapper.getTimeZonesForGeographicalNumber(number);
            }
            return zones.stream()
                    .filter(zone -> !zone.equals(UNKNOWN))
                    .flatMap(zone -> zoneId(zone).stream())
                    .distinct()
                    .toList();
        } catch (NumberParseException e) {
            return List.of();
        }
    }

    private static java.util.Optional<ZoneId> zoneId(String id) {
        try {
            return java.util.Optional.of(ZoneId.of(id));
        } catch (DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** A client-given IANA zone id, or empty when it is not one this JVM knows. */
    public static java.util.Optional<ZoneId> parse(String id) {
        if (id.isBlank() || !ZoneId.getAvailableZoneIds().contains(id)) {
            return java.util.Optional.empty();
        }
        return zoneId(id);
    }
}
