package io.poolstate.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@code ./poolstate <args>} as a process of its own (the test class path, the test log configuration), its output in a file. */
final class LauncherProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private LauncherProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static LauncherProcess start(String name, Path dir, Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dpoolstate.home=" + dir.resolve("home"), "-Dpoolstate.npm.dir=" + System.getProperty("poolstate.npm.dir"),
                PoolstateCommand.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new LauncherProcess(name, pb.start(), log);
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until the output satisfies {@code done}; fails naming the process and its last lines when it exits or time runs out. */
    void await(String what, Duration timeout, Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = output();
            if (done.test(out)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before " + what + ":\n" + tail(out));
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not reach " + what + " within " + timeout + ":\n" + tail(output()));
    }

    /** SIGTERM (the shutdown path Ctrl-C takes), then the exit status. */
    int stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
