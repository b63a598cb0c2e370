package io.ipnpipeline.ops.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Points in time as operators type them: {@code 2024-05-01T10:00:00Z}, with an offset, or a UTC date. */
public final class Instants implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        return parse(value);
    }

    public static Instant parse(String value) {
        String text = value == null ? "" : value.strip();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not an ISO-8601 time (examples: 2024-05-01T10:00:00Z, 2024-05-01T12:00+02:00, 2024-05-01)");
            }
        }
    }
}
