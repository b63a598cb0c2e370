package io.ipnpipeline.contracts.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class MapperEscapesTest {

    @Test
    void everyAsciiCharacterIsEscapedAsTheMapperEscapesIt() throws JsonProcessingException {
        for (char c = 0; c < 128; c++) {
            String mapper = Json.mapper().writeValueAsString(String.valueOf(c));
            assertThat(quoted(c)).as("character %d", (int) c).isEqualTo(mapper);
        }
    }

    private static String quoted(char c) {
        byte escape = MapperEscapes.of(c);
        if (escape == MapperEscapes.KEEP) {
            return "\"" + c + "\"";
        }
        if (escape == MapperEscapes.HEX) {
            return "\"\\u00" + (char) MapperEscapes.hexDigit(c >> 4) + (char) MapperEscapes.hexDigit(c & 0xF) + "\"";
        }
        return "\"\\" + (char) escape + "\"";
    }
}
