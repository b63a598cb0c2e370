package io.ipnpipeline.schema.adopt;

import io.ipnpipeline.schema.adopt.PipelineColumn.Kind;
import java.util.List;

/**
 * What the adoption does with one of the bot's columns the pipeline uses: keep it, convert it losslessly, or give
 * up with a reason. Conversions are limited to what cannot change a value the bot reads back (wider integers,
 * wider numerics, text instead of a bounded varchar or an enum) plus text ids that all hold integers, which the
 * incident's queries show ('-1003016667267').
 */
final class ColumnPlan {

    private ColumnPlan() {
    }

    /**
     * Adds the ALTER (or the problem) for {@code column} of {@code table}; {@code integerChecks} gets the columns
     * whose every value must be checked to be an integer before converting.
     */
    static void plan(String table, PipelineColumn spec, ExistingColumn column, List<String> alters,
            List<String> integerChecks, List<String> problems) {
        String name = quote(spec.name());
        String where = table + "." + spec.name() + " is " + column.formatted();
        switch (spec.kind()) {
            case BIGINT -> {
                if (column.typeName().equals("int8")) {
                    return;
                }
                if (column.isInteger()) {
                    alters.add("ALTER COLUMN " + name + " TYPE BIGINT");
                } else if (column.isTextLike()) {
                    integerChecks.add(spec.name());
                    alters.add("ALTER COLUMN " + name + " TYPE BIGINT USING trim(" + name + ")::bigint");
                } else {
                    problems.add(where + "; the pipeline needs bigint (Telegram and NOWPayments ids) and converts only"
                            + " integer and text columns");
                }
            }
            case INT -> {
                if (!column.isInteger()) {
                    problems.add(where + "; the pipeline needs an integer (days)");
                }
            }
            case NUMERIC, NUMERIC_2 -> {
                if (!column.typeName().equals("numeric")) {
                    problems.add(where + "; the pipeline needs numeric (amounts are exact decimals; double precision"
                            + " would round them): convert it with ALTER TABLE " + table + " ALTER COLUMN "
                            + spec.name() + " TYPE numeric once the bot reads decimals");
                    return;
                }
                int needed = spec.kind() == Kind.NUMERIC_2 ? 2 : -1;
                int scale = column.numericScale();
                if (scale >= 0 && (needed < 0 || scale < needed)) {
                    // dropping the precision limit never changes a stored value
                    alters.add("ALTER COLUMN " + name + " TYPE NUMERIC");
                }
            }
            case TEXT -> {
                if (column.isUnboundedText()) {
                    return;
                }
                if (!column.isTextLike() && !column.isEnum()) {
                    problems.add(where + "; the pipeline needs text");
                } else if (spec.written()) {
                    // the sink writes text: a bounded varchar could refuse a value, an enum refuses text outright
                    alters.add("ALTER COLUMN " + name + " TYPE TEXT USING " + name + "::text");
                }
            }
            case TIMESTAMPTZ, CHANGE_TIME -> {
                if (!column.typeName().equals("timestamptz") && spec.use() != PipelineColumn.Use.UNUSED) {
                    problems.add(where + "; the pipeline needs timestamptz: convert it with ALTER TABLE " + table
                            + " ALTER COLUMN " + spec.name() + " TYPE timestamptz USING " + spec.name()
                            + " AT TIME ZONE '<the zone the bot wrote it in>'");
                }
            }
            case BOOLEAN -> {
                if (!column.typeName().equals("bool")) {
                    problems.add(where + "; the pipeline needs boolean");
                }
            }
            default -> throw new IllegalStateException("unknown kind " + spec.kind());
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
