package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * scripts/lib.sh on a PostgreSQL it starts: the cluster's pg_hba.conf is left as it is (password authentication over
 * TCP); the postgres role gets a generated password, kept in a pgpass file of mode 600, and connections without a
 * password work through that file. Run against a private cluster (own data directory and port), never the machine's.
 */
class SetupScriptTest {
    @Test
    void postgresGetsAPasswordFileNotATrustRule() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        Path bin = Stream.of("/usr/lib/postgresql").map(Path::of).filter(Files::isDirectory).flatMap(p -> {
            try (Stream<Path> versions = Files.list(p)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).toList().stream();
            } catch (java.io.IOException e) {
                return Stream.empty();
            }
        }).findFirst().orElse(null);
        Assumptions.assumeTrue(bin != null, "PostgreSQL server binaries not installed");
        Assumptions.assumeTrue("0".equals(run(Map.of(), "id", "-u").strip()), "needs root (acts as the postgres OS user)");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pg-setup-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("data");
        run(Map.of(), "chown", "postgres:postgres", dir.toString());
        try {
            run(Map.of(), "runuser", "-u", "postgres", "--", bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "--auth-local=peer", "--auth-host=scram-sha-256");
            run(Map.of(), "runuser", "-u", "postgres", "--", bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                    "-w", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
            String hbaBefore = sha256(data.resolve("pg_hba.conf"));
            Path pgpass = dir.resolve("pgpass");
            run(Map.of("PGHOST", dir.toString(), "PGPORT", Integer.toString(port)), "bash", "-c",
                    "source scripts/lib.sh && POOLSTATE_PGPASS=" + pgpass + " && ensure_postgres_password && echo \"PGPASSFILE=$PGPASSFILE\"");
            assertThat(sha256(data.resolve("pg_hba.conf"))).as("pg_hba.conf untouched").isEqualTo(hbaBefore);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pgpass))).isEqualTo("rw-------");
            assertThat(Files.readString(pgpass)).startsWith("127.0.0.1:*:*:postgres:");

            String url = "jdbc:postgresql://127.0.0.1:" + port + "/test";
            Properties noPassword = new Properties();
            noPassword.setProperty("user", "postgres");
            noPassword.setProperty("pgpassfile", dir.resolve("no-such-file").toString());
            assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            Properties viaFile = new Properties();
            viaFile.setProperty("user", "postgres");
            String before = System.getProperty("org.postgresql.pgpassfile");
            System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
            try (var c = DriverManager.getConnection(url, viaFile); var r = c.createStatement().executeQuery("SELECT current_database()")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).as("the tests' database was created").isEqualTo("test");
            } finally {
                if (before == null) {
                    System.clearProperty("org.postgresql.pgpassfile");
                } else {
                    System.setProperty("org.postgresql.pgpassfile", before);
                }
            }
        } finally {
            run(Map.of(), "runuser", "-u", "postgres", "--", bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
            run(Map.of(), "rm", "-rf", dir.toString());
        }
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(Path.of("..").toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (!cmd[cmd.length - 1].equals("stop")) {
            assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        }
        return out;
    }
}
