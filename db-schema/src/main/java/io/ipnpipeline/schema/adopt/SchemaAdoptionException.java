package io.ipnpipeline.schema.adopt;

import java.util.List;

/**
 * The bot's tables cannot be adopted as they are. Thrown before anything is committed: the schema is exactly as
 * it was, and the message says what to change by hand (with the query that finds the offending rows).
 */
public final class SchemaAdoptionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    SchemaAdoptionException(String schema, List<String> problems) {
        super("cannot adopt the Telegram bot's tables in schema " + schema + "; nothing was changed:\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the table and column. */
    public List<String> problems() {
        return problems;
    }
}
