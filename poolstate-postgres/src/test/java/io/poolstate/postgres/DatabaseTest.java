package io.poolstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Failure reasons in one short line. */
class DatabaseTest {
    @Test
    void aFailedBatchIsReportedByItsCauseNotByItsParameters() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO t (a) VALUES (('" + "x".repeat(5000) + "')) was aborted", "08006",
                new int[0]);
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
        assertThat(Database.reason(batch)).isEqualTo("An I/O error occurred while sending to the backend. (sqlstate 08006)");
        assertThat(Database.reason(new SQLException("FATAL: terminating connection due to administrator command", "57P01")))
                .isEqualTo("FATAL: terminating connection due to administrator command (sqlstate 57P01)");
        assertThat(Database.reason(new SQLException("no state"))).isEqualTo("no state");
    }
}
