package io.ipnpipeline.testsupport;

/** A PostgreSQL server a test talks to: where it is and who to log in as. */
public interface PostgresServer extends AutoCloseable {

    /** A {@code jdbc:postgresql:} URL of a database the user may create schemas in. */
    String jdbcUrl();

    String user();

    String password();

    @Override
    void close();
}
