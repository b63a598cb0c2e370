package io.ipnpipeline.sink.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {

    @Test
    void dataAndConstraintErrorsAreTheRecordsFault() {
        assertThat(SqlFailures.isRecordsFault(new SQLException("bad json", "22P02"))).isTrue();
        assertThat(SqlFailures.isRecordsFault(new SQLException("check", "23514"))).isTrue();
    }

    @Test
    void everythingElseIsRetried() {
        assertThat(SqlFailures.isRecordsFault(new SQLException("refused", "08001"))).isFalse();
        assertThat(SqlFailures.isRecordsFault(new SQLException("admin shutdown", "57P01"))).isFalse();
        assertThat(SqlFailures.isRecordsFault(new SQLException("deadlock", "40P01"))).isFalse();
        // TransactionLimits: a lock wait or a long statement is the database's state, never the record's
        assertThat(SqlFailures.isRecordsFault(new SQLException("lock timeout", "55P03"))).isFalse();
        assertThat(SqlFailures.isRecordsFault(new SQLException("statement timeout", "57014"))).isFalse();
        assertThat(SqlFailures.isRecordsFault(new SQLTransientConnectionException("pool timeout"))).isFalse();
    }
}
