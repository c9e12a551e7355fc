package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.app.config.ConfigFile;
import io.poolstate.app.config.DurationConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** One configuration: flags, then environment variables, then the TOML file (command tables before the top), then defaults. */
class ConfigurationTest {
    private final Map<String, String> env = new HashMap<>();

    private CommandLine.ParseResult parse(ConfigFile file, String... args) {
        return PoolstateCommand.commandLine(file, env::get).parseArgs(args);
    }

    private static Object value(CommandLine.ParseResult r, String option) {
        CommandLine.ParseResult leaf = r;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf.commandSpec().findOption(option).getValue();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PoolstateCommand.execute(args, new PrintWriter(out), new PrintWriter(err), env::get);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void flagsBeatEnvironmentBeatsFileTablesBeatTheTop(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("poolstate.toml");
        Files.writeString(toml, """
                network = "base"
                rpc = "http://top:8545"
                stable = ["0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"]
                interval = "2m"

                [whales]
                rpc = "http://whales:8545"
                token = "USDC"

                [whales.run]
                http = "off"
                """);
        ConfigFile file = ConfigFile.read(toml);
        var whitelist = parse(file, "whitelist");
        assertThat(value(whitelist, "--rpc")).isEqualTo("http://top:8545");
        assertThat(value(whitelist, "--network")).isEqualTo("base");
        assertThat(value(whitelist, "--stable")).isEqualTo(List.of("0x0000000000000000000000000000000000000001", "0x0000000000000000000000000000000000000002"));
        assertThat(value(whitelist, "--interval")).isEqualTo(Duration.ofMinutes(2));
        var run = parse(file, "whales", "run");
        assertThat(value(run, "--rpc")).as("[whales] wins over the top").isEqualTo("http://whales:8545");
        assertThat(value(run, "--http")).as("[whales.run]").isEqualTo("off");
        assertThat(value(run, "--token")).isEqualTo("USDC");
        assertThat(parse(file, "whales", "report").subcommand().subcommand().commandSpec().findOption("--http")).as("report serves nothing").isNull();

        env.put("POOLSTATE_RPC", "http://env:8545");
        env.put("POOLSTATE_WHALES_METRICS", "127.0.0.1:19466");
        assertThat(value(parse(file, "whales", "run"), "--rpc")).as("environment over file").isEqualTo("http://env:8545");
        assertThat(value(parse(file, "whales", "run"), "--metrics")).as("{COMMAND} in the variable's name").isEqualTo("127.0.0.1:19466");
        assertThat(value(parse(file, "whitelist"), "--metrics")).isNull();
        assertThat(value(parse(file, "whales", "run", "--rpc", "http://flag:8545"), "--rpc")).as("flag over all").isEqualTo("http://flag:8545");
        assertThat(value(parse(ConfigFile.NONE, "whitelist"), "--network")).as("built-in default").isEqualTo("ethereum");
    }

    @Test
    void aMisspeltKeyOrABrokenFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("bad.toml");
        Files.writeString(toml, "[whales]\ntokn = \"USDC\"\n");
        Run r = run("--config", toml.toString(), "whales", "run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: config file " + toml + ": unknown key whales.tokn").contains("keys here:").contains("token");
        Files.writeString(toml, "[feeed]\nsocket = \"x\"\n");
        assertThat(run("--config", toml.toString(), "whitelist", "history", "--help").err()).contains("unknown table in key feeed.socket");
        Files.writeString(toml, "rpc = \n");
        assertThat(run("whitelist", "--config=" + toml, "--help").err()).contains("is not valid TOML");
        env.put("POOLSTATE_CONFIG", dir.resolve("missing.toml").toString());
        assertThat(run("whitelist", "--help").err()).contains("config file not found: " + dir.resolve("missing.toml"));
    }

    @Test
    void whitelistHistoryNeedsOnlyPostgres() {
        Run help = run("whitelist", "history", "--help");
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).contains("--postgres").contains("--limit").doesNotContain("--stable");
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.isValid(1);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres: " + e.getMessage());
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            Run r = run("whitelist", "history", "--postgres", "jdbc:postgresql://127.0.0.1:5432/test", "--chain", "none" + System.nanoTime());
            assertThat(r.exit()).as(r.err()).isZero();
        } finally {
            System.setOut(before);
        }
        assertThat(out.toString()).contains("no whitelist snapshots for chain none");
    }

    @Test
    void durationsInShortOrIsoForm() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationConverter.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        Run bad = run("whitelist", "--interval", "soon", "--help");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value for option '--interval'").contains("not a duration");
    }

    @Test
    void networksListsEveryPresetWithItsSources() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(run("networks").exit()).isZero();
        } finally {
            System.setOut(before);
        }
        String text = out.toString();
        for (String n : List.of("ethereum (chain id 1)", "base (chain id 8453)", "arbitrum (chain id 42161)", "optimism (chain id 10)", "unichain (chain id 130)")) {
            assertThat(text).contains(n);
        }
        assertThat(text).contains("0x000000000004444c5dc75cB358380D2e3dE08A90").containsPattern("pool_manager +0x000000000004444c5dc75cB358380D2e3dE08A90 +\\[\\d+\\]").contains("] Uniswap docs, v4 deployments").contains("not listed:");
        assertThat(run("networks", "polygon").err()).contains("unknown network: network=polygon");
    }
}
