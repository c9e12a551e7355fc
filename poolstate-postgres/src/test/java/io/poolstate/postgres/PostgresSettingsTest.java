package io.poolstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {
    @Test
    void passwordsNeverShowInTheUrlOrTheDescription() {
        PostgresSettings s = PostgresSettings.of("jdbc:postgresql://db.internal:5432/pool?user=ps&password=Pa55w0rd&sslmode=require&sslpassword=K3y",
                "ps", "S3cret");
        assertThat(s.redactedUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/pool?user=ps&password=***&sslmode=require&sslpassword=***");
        assertThat(s.toString()).contains("db.internal:5432/pool").contains("as ps (password set)").doesNotContain("Pa55w0rd")
                .doesNotContain("S3cret").doesNotContain("K3y").contains("statement_timeout=60s");
        assertThat(PostgresSettings.redact("jdbc:postgresql://ps:Pa55w0rd@db/pool")).isEqualTo("jdbc:postgresql://***@db/pool");
        assertThat(s.scrub("FATAL: login S3cret at " + s.url())).doesNotContain("S3cret").doesNotContain("Pa55w0rd");
    }

    @Test
    void rejectsNonJdbcUrlsWithoutEchoingSecretsAndTimeoutsThatCannotWork() {
        assertThatThrownBy(() -> PostgresSettings.of("postgres://ps:Pa55w0rd@db/pool", "ps", null)).hasMessageContaining("JDBC URL")
                .hasMessageNotContaining("Pa55w0rd");
        PostgresSettings s = PostgresSettings.of("jdbc:postgresql://db/pool", "ps", null);
        assertThatThrownBy(() -> s.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30)))
                .hasMessageContaining("socket time-out must exceed the statement time-out");
        assertThatThrownBy(() -> s.withTimeouts(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(3))).hasMessageContaining("positive");
    }
}
