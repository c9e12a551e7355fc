package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The launcher's help and its one-line errors for bad input. */
class LauncherTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PoolstateCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEachCommandOnOneLine() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  devnet +\\S.*$").containsPattern("(?m)^  demo +\\S.*$").containsPattern("(?m)^  whitelist +\\S.*$")
                .containsPattern("(?m)^  whales +\\S.*$");
        assertThat(r.out().lines().filter(l -> l.startsWith("               "))).as("no wrapped descriptions").isEmpty();
    }

    /** Every command's and subcommand's help renders without picocli's warnings (a bare {@code %} in a description is one). */
    @Test
    void everyHelpRendersWithoutWarnings() {
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.util.List<String> rendered = new java.util.ArrayList<>();
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(PoolstateCommand.commandLine()));
            while (!todo.isEmpty()) {
                CommandLine c = todo.pop();
                assertThat(c.getUsageMessage()).isNotBlank();
                rendered.add(c.getCommandSpec().qualifiedName());
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(before);
        }
        assertThat(rendered).as("commands whose help was rendered").contains("poolstate arena", "poolstate feed", "poolstate whitelist");
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).as("warnings while rendering the help of %s", rendered).isEmpty();
    }

    @Test
    void takenPortIsOneClearLine(@TempDir Path dir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run r = run("devnet", "up", "--port", Integer.toString(busy.getLocalPort()), "--dir", dir.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: port " + busy.getLocalPort() + " on 127.0.0.1 is already in use")
                    .doesNotContain("at io.poolstate");
        }
    }

    @Test
    void missingAnvilIsOneClearLine(@TempDir Path dir) {
        String before = System.getProperty("poolstate.anvil");
        System.setProperty("poolstate.anvil", dir.resolve("no-such-anvil").toString());
        try {
            Run r = run("devnet", "up", "--port", "18441", "--dir", dir.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: POOLSTATE_ANVIL=").contains("is not an executable file").doesNotContain("at io.poolstate");
        } finally {
            if (before == null) {
                System.clearProperty("poolstate.anvil");
            } else {
                System.setProperty("poolstate.anvil", before);
            }
        }
    }

    @Test
    void trafficWithoutADevnetSaysHowToStartOne(@TempDir Path dir) {
        Run r = run("devnet", "traffic", "--blocks", "1", "--seed", "1", "--dir", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no devnet deployment at").contains("./poolstate devnet up");
    }

    @Test
    void feedRejectsBadInputInOneLine(@TempDir Path dir) throws Exception {
        Run scheme = run("feed", "--rpc", "ftp://node", "--socket", dir.resolve("f.sock").toString(), "--metrics", "off");
        assertThat(scheme.exit()).isEqualTo(1);
        assertThat(scheme.err()).startsWith("error: unsupported rpc url scheme: url=ftp://node");
        java.nio.file.Files.writeString(dir.resolve("bad.json"), "{\"type\":\"add\",\"pools\":[]}");
        Run pools = run("feed", "--rpc", "http://127.0.0.1:1", "--socket", dir.resolve("f.sock").toString(), "--pools",
                dir.resolve("bad.json").toString(), "--metrics", "off");
        assertThat(pools.exit()).isEqualTo(1);
        assertThat(pools.err()).contains("holds a 'add' update; a full list is needed");
        Run missing = run("feed", "--socket", dir.resolve("f.sock").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--rpc");
    }

    @Test
    void badOptionValuesAreRejectedByTheParser() {
        Run r = run("devnet", "traffic", "--blocks", "many", "--seed", "1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--blocks'");
    }

    @Test
    void unknownHookPermissionIsOneClearLine() {
        Run r = run("whitelist", "--once", "--rpc", "http://127.0.0.1:1", "--stable", "0x0000000000000000000000000000000000000001",
                "--exclude-hook-permission", "beforeSwapReturnDelta,beforeSwapp");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: unknown hook permission: value=beforeSwapp (expected one of beforeInitialize,")
                .doesNotContain("at io.poolstate");
    }
}
