package io.ipnpipeline.schema.adopt;

/**
 * A column V1__core_schema.sql gives one of the bot's tables, and how the pipeline uses it: that decides which of
 * the bot's own column types are good enough, which are converted, and which stop the adoption.
 *
 * @param addDdl the type, default and NOT NULL of {@code ADD COLUMN} when the bot's table lacks the column; null
 *               for a key the pipeline cannot invent (the adoption fails instead)
 */
record PipelineColumn(String name, Kind kind, Use use, String addDdl) {

    /**
     * The value kinds the pipeline's SQL relies on. CHANGE_TIME is a timestamptz whose rows are compared by age
     * (the status API's newer row wins, the registry's lag), so it is never NULL and defaults to now().
     */
    enum Kind { BIGINT, INT, NUMERIC, NUMERIC_2, TEXT, TIMESTAMPTZ, CHANGE_TIME, BOOLEAN }

    enum Use {
        /** only has to exist (the pipeline neither reads nor writes it) */
        UNUSED,
        /** read by the pipeline, written only by the bot */
        READ,
        /** written by the sink's upsert, possibly as NULL */
        WRITTEN_NULLABLE,
        /** written by the sink's upsert, never as NULL */
        WRITTEN
    }

    boolean written() {
        return use == Use.WRITTEN || use == Use.WRITTEN_NULLABLE;
    }

    /** The row's change time, as V1 declares it. */
    static PipelineColumn changeTime(Use use) {
        return new PipelineColumn("updated_at", Kind.CHANGE_TIME, use, "TIMESTAMPTZ NOT NULL DEFAULT now()");
    }

    /** A key column: the adoption cannot add it, only convert it. */
    static PipelineColumn key(String name, Use use) {
        return new PipelineColumn(name, Kind.BIGINT, use, null);
    }
}
