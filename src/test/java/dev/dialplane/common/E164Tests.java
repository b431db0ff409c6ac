package dev.dialplane.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class E164Tests {

    @ParameterizedTest
    @ValueSource(strings = {"+12025550123", "+442071838750", "+4915112345678", "+33612345678"})
    void acceptsValidNumbers(String number) {
        assertThat(E164.parse("to_number", number)).isEqualTo(number);
    }

    @Test
    void missingPlusIsExplained() {
        assertThatThrownBy(() -> E164.parse("to_number", "2025550123"))
                .isInstanceOf(E164.InvalidNumber.class)
                .hasMessageContaining("to_number '2025550123'")
                .hasMessageContaining("missing the '+' and country code");
    }

    @Test
    void invisibleCharactersAreNamedNotCalledSpaces() {
        var named = java.util.Map.of(
                "+1202\t5550123", "a tab (U+0009)",
                "+1202\n5550123", "a line feed (U+000A)",
                "+1202\u00005550123", "a NUL character (U+0000)",
                "+1202\u200b5550123", "an invisible character (U+200B)");
        named.forEach((raw, name) -> assertThatThrownBy(() -> E164.parse("to_number", raw))
                .hasMessageContaining("it contains " + name)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("spaces")));
    }

    @Test
    void dashesAreExplained() {
        assertThatThrownBy(() -> E164.parse("to_number", "1-202-555-0123")).hasMessageContaining("contains dashes");
        assertThatThrownBy(() -> E164.parse("from_number", "+1-202-555-0123"))
                .hasMessageContaining("from_number")
                .hasMessageContaining("contains dashes");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "+1202555012|too short",
                "+120255501234|too long",
                "+(202)5550123|only '+' followed by digits",
                "+9991234567|not a valid phone number",
                "+01234567|country code never starts with 0",
                "''|empty"
            })
    void otherProblemsAreExplained(String number, String why) {
        assertThatThrownBy(() -> E164.parse("to_number", number)).hasMessageContaining(why);
    }

    @Test
    void digitsDropThePlus() {
        assertThat(E164.digits("+12025550123")).isEqualTo("12025550123");
    }
}
