package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child JVMs from the test's classpath: output captured and awaited, SIGTERM, SIGKILL, exit codes, clean-up. */
class PoolstateProcessTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private PoolstateProcess child(String name, String... args) {
        return PoolstateProcess.builder(name, dir).mainClass(ChildMain.class.getName()).args(args).start();
    }

    @Test
    void runsOnThisJdkAndClasspathWithOutputCapturedAndSigtermRunsShutdownHooks() throws Exception {
        System.setProperty("poolstate.testkit.probe", "forwarded");
        try (PoolstateProcess p = child("child", "one", "two")) {
            MatchResult m = p.waitForLine("^ready (\\w+) (\\w+)$", START);
            assertThat(m.group(1)).isEqualTo("one");
            assertThat(m.group(2)).isEqualTo("two");
            assertThat(p.lines()).contains("java.home=" + System.getProperty("java.home"), "probe=forwarded", "on stderr",
                    "home=" + dir.resolve("home"));
            assertThat(p.isAlive()).isTrue();

            int mark = p.lineCount();
            assertThat(p.sigterm()).isEqualTo(143);
            p.waitForLine(mark, "^shutting down$", Duration.ofSeconds(5));
            assertThat(p.exitCode()).isEqualTo(143);
            assertThat(Files.readAllLines(p.outputFile())).isEqualTo(p.lines());
        } finally {
            System.clearProperty("poolstate.testkit.probe");
        }
    }

    @Test
    void sigkillRunsNothingInTheChild() {
        try (PoolstateProcess p = child("killed")) {
            p.waitForLine("^ready", START);
            assertThat(p.sigkill()).isEqualTo(137);
            assertThat(p.isAlive()).isFalse();
            assertThat(p.lines()).doesNotContain("shutting down");
        }
    }

    @Test
    void anEndedProcessFailsTheWaitAtOnceWithItsExitCode() {
        try (PoolstateProcess p = child("exits", "exit", "3")) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> p.waitForLine("^ready", Duration.ofSeconds(60))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exit 3").hasMessageContaining("exiting");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
            assertThat(p.waitForExit(Duration.ofSeconds(5))).isEqualTo(3);
            assertThat(p.exitCode()).isEqualTo(3);
        }
    }

    @Test
    void aLineThatNeverComesTimesOutAndCloseKillsTheProcess() {
        PoolstateProcess p = child("waits");
        try (p) {
            p.waitForLine("^ready", START);
            assertThatThrownBy(() -> p.waitForLine("^never$", Duration.ofMillis(300))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("within 300 ms").hasMessageContaining("ready");
            assertThatThrownBy(p::exitCode).isInstanceOf(IllegalStateException.class);
        }
        assertThat(p.isAlive()).isFalse();
        assertThat(ProcessHandle.of(p.pid())).isEmpty();
    }
}
