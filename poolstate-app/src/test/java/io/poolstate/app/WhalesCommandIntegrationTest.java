package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.devnet.whales.WhaleToken;
import io.poolstate.devnet.whales.WhaleTokenSeeder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code whales snapshot --once} and {@code whales report --chart} through the launcher, on a devnet and the local Postgres. */
class WhalesCommandIntegrationTest {
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = PoolstateCommand.commandLine();
            cl.setErr(new PrintWriter(err));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(before);
        }
    }

    @Test
    void snapshotThenReport(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        String schema = "whales_cli_" + Long.toHexString(System.nanoTime());
        try (var c = DriverManager.getConnection(JDBC, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        Run eth = run("whales", "snapshot", "--once", "--rpc", "http://127.0.0.1:1", "--token", "ETH", "--postgres", JDBC, "--schema", schema);
        assertThat(eth.exit()).isEqualTo(1);
        Run help = run("whales", "snapshot", "--help");
        assertThat(help.out()).contains("Exit status:").contains("3   nothing to do: the slot already has a complete snapshot");
        assertThat(eth.err()).startsWith("error: tracking ETH needs an address list (--holders FILE)").doesNotContain("at io.poolstate");

        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(3, 1, 3))) {
            WhaleTokenSeeder seeder = new WhaleTokenSeeder(devnet.chain(), 3);
            WhaleToken w = seeder.seed(UniswapArtifacts.load(NpmPackages.locate()).mockErc20(), 400, devnet.deployment().contracts().poolManager());
            seeder.transfers(w, 3, 50);
            String[] common = {"--rpc", devnet.deployment().httpUrl(), "--token", w.token().toString(), "--from-block", Long.toString(w.deployBlock()),
                "--top", "100", "--confirmations", "0", "--interval", "1s", "--exclude", w.exchange().toString(), "--postgres", JDBC, "--schema", schema,
                "--multicall", devnet.deployment().contracts().multicall3().toString()};
            Run first = run(concat(new String[] {"whales", "snapshot", "--once"}, common));
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("whales: snapshot ").containsPattern("addresses=100 rpc_calls=\\d{3,} rpc_requests=\\d+ ");
            String[] hourly = concat(new String[] {"whales", "snapshot", "--once"}, replaced(replaced(common, "--interval", "1h"), "--schema", schema + "_h"));
            assertThat(run(hourly).exit()).isZero();
            Run again = run(hourly);
            assertThat(again.exit()).as("the hour's slot is done: its own status").isEqualTo(3);
            assertThat(again.out()).contains("no snapshot taken: slot ").contains("already has complete snapshot");
            seeder.transfers(w, 3, 50);
            Thread.sleep(1100); // the next 1 s slot
            Run second = run(concat(new String[] {"whales", "snapshot", "--once"}, common));
            assertThat(second.exit()).as(second.err()).isZero();
            Path chart = dir.resolve("score.svg");
            Run report = run("whales", "report", "--token", w.token().toString(), "--postgres", JDBC, "--schema", schema, "--windows", "1h",
                    "--chart", chart.toString());
            assertThat(report.exit()).as(report.err()).isZero();
            assertThat(report.out()).contains("whales  asset=" + w.token()).contains("addresses=100").contains("1h ").contains("chart written");
            assertThat(Files.readString(chart)).contains("<polyline");

            // a table of addresses: the candidates come from SQL, in its order
            String table = schema + ".candidates";
            try (var c = DriverManager.getConnection(JDBC, "postgres", null)) {
                c.createStatement().execute("CREATE TABLE " + table + " (address text, priority int)");
                for (int i = 0; i < 5; i++) {
                    c.createStatement().execute("INSERT INTO " + table + " VALUES ('" + w.holders().get(i) + "', " + i + ")");
                }
            }
            String ethSchema = schema + "_eth";
            Run fromTable = run("whales", "snapshot", "--once", "--rpc", devnet.deployment().httpUrl(), "--token", "ETH", "--holders-query",
                    "SELECT address FROM " + table + " ORDER BY priority", "--confirmations", "0", "--postgres", JDBC, "--schema", ethSchema,
                    "--multicall", devnet.deployment().contracts().multicall3().toString());
            assertThat(fromTable.exit()).as(fromTable.err()).isZero();
            assertThat(fromTable.out()).contains("addresses=5 rpc_calls=");
            Run writing = run("whales", "snapshot", "--once", "--rpc", devnet.deployment().httpUrl(), "--token", "ETH", "--holders-query",
                    "DELETE FROM " + table + " RETURNING address", "--confirmations", "0", "--postgres", JDBC, "--schema", ethSchema + "_w",
                    "--multicall", devnet.deployment().contracts().multicall3().toString());
            assertThat(writing.exit()).isEqualTo(1);
            assertThat(writing.err()).contains("read-only transaction");
            Run slow = run("whales", "snapshot", "--once", "--rpc", devnet.deployment().httpUrl(), "--token", "ETH", "--holders-query",
                    "SELECT address FROM " + table + ", pg_sleep(30)", "--holders-query-timeout", "1s", "--confirmations", "0", "--postgres", JDBC,
                    "--schema", ethSchema + "_s", "--multicall", devnet.deployment().contracts().multicall3().toString());
            assertThat(slow.exit()).isEqualTo(1);
            assertThat(slow.err()).contains("statement timeout");
            try (var c = DriverManager.getConnection(JDBC, "postgres", null);
                 var r = c.createStatement().executeQuery("SELECT address, eth_balance FROM " + ethSchema + ".whale_balances ORDER BY rank")) {
                for (int i = 0; i < 5; i++) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo(w.holders().get(i).toString());
                    assertThat(r.getBigDecimal(2).toBigIntegerExact()).isEqualTo(devnet.eth().balance(w.holders().get(i), io.poolstate.eth.rpc.BlockRef.latest()));
                }
            }
        }
    }

    private static String[] replaced(String[] args, String flag, String value) {
        String[] out = args.clone();
        for (int i = 0; i < out.length - 1; i++) {
            if (out[i].equals(flag)) {
                out[i + 1] = value;
            }
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
