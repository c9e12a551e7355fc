package io.poolstate.testkit;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code ./poolstate} command ({@code feed ...}, {@code arena ...}) run as a child JVM from the test's own
 * classpath and JDK, so a test can SIGTERM or SIGKILL it and start it again. The child's output (stdout and
 * stderr, merged) goes to {@code <directory>/<name>.log} and, each line prefixed with {@code [name]}, to the
 * test's stdout; {@link #waitForLine} waits for a line matching a pattern.
 *
 * <p>The child gets {@code -Dpoolstate.home=<directory>/home}, every {@code poolstate.*} system property of the
 * test JVM (where the npm packages are, ...), the working directory {@code <directory>} and, unless
 * {@link Builder#jvmArgs} says otherwise, {@link #DEFAULT_JVM_ARGS}. {@link #close()} kills it (and anything it
 * started) if it still runs, and so does the test JVM's exit.
 *
 * <p>Threads: one platform thread per process copies its output. Methods are safe from any thread.
 */
public final class PoolstateProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolstateProcess.class);
    /** The launcher's main class (module poolstate-app, which the test's classpath must hold). */
    public static final String LAUNCHER = "io.poolstate.app.PoolstateCommand";
    /** A small heap and a quick start: several JVMs share two cores in the test runs. */
    public static final List<String> DEFAULT_JVM_ARGS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path output;
    private final boolean mirror;
    private final List<String> lines = new ArrayList<>(); // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean outputEnded; // guarded by lock
    private final Thread pump;
    private final Thread shutdownHook = new Thread(this::close, "poolstate-process-cleanup");

    private PoolstateProcess(String name, Process process, Path output, boolean mirror) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.mirror = mirror;
        this.pump = Thread.ofPlatform().name("poolstate-" + name + "-output").daemon().start(this::copyOutput);
        Runtime.getRuntime().addShutdownHook(shutdownHook); // a test JVM that dies leaves no child behind
    }

    /** A builder for a child running {@link #LAUNCHER} with {@code args}; {@code name} prefixes its output. */
    public static Builder builder(String name, Path directory) {
        return new Builder(name, directory);
    }

    /** Starts {@code ./poolstate <args>} with the defaults; {@code name} prefixes its output. */
    public static PoolstateProcess start(String name, Path directory, String... args) {
        return builder(name, directory).args(args).start();
    }

    /** How to start a child: main class, arguments, JVM options, system properties, environment. */
    public static final class Builder {
        private final String name;
        private final Path directory;
        private String mainClass = LAUNCHER;
        private final List<String> args = new ArrayList<>();
        private List<String> jvmArgs = DEFAULT_JVM_ARGS;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean mirror = true;

        private Builder(String name, Path directory) {
            this.name = name;
            this.directory = directory;
        }

        /** Another main class from the test's classpath (default {@link PoolstateProcess#LAUNCHER}). */
        public Builder mainClass(String className) {
            this.mainClass = className;
            return this;
        }

        public Builder args(String... a) {
            args.addAll(List.of(a));
            return this;
        }

        public Builder args(List<String> a) {
            args.addAll(a);
            return this;
        }

        /** JVM options instead of {@link PoolstateProcess#DEFAULT_JVM_ARGS}. */
        public Builder jvmArgs(String... a) {
            jvmArgs = List.of(a);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Whether output lines are also printed to the test's stdout (default true). */
        public Builder mirror(boolean m) {
            this.mirror = m;
            return this;
        }

        public PoolstateProcess start() {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaCommand());
            cmd.addAll(jvmArgs);
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("poolstate.")).sorted()
                    .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
            cmd.add("-Dpoolstate.home=" + directory.resolve("home"));
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
            cmd.addAll(args);
            try {
                Files.createDirectories(directory);
                Path out = directory.resolve(name + ".log");
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(directory.toFile()).redirectErrorStream(true);
                pb.environment().putAll(env);
                Process p = pb.start();
                LOG.info("started {}: pid={} args={} output={}", name, p.pid(), String.join(" ", args), out);
                return new PoolstateProcess(name, p, out, mirror);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
            }
        }

        /** The running JVM's own java binary, so the child runs on the same JDK. */
        private static String javaCommand() {
            return ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Where the whole output is written. */
    public Path outputFile() {
        return output;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Output lines so far. */
    public List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Number of output lines so far: a mark for {@link #waitForLine(int, String, Duration)}. */
    public int lineCount() {
        lock.lock();
        try {
            return lines.size();
        } finally {
            lock.unlock();
        }
    }

    /** The first output line (since start) that matches {@code regex} (found anywhere in the line), waiting up to {@code timeout}. */
    public MatchResult waitForLine(String regex, Duration timeout) {
        return waitForLine(0, regex, timeout);
    }

    /**
     * The first output line from line {@code fromLine} on (see {@link #lineCount()}) that matches {@code regex},
     * waiting up to {@code timeout}.
     *
     * @throws AssertionError when the time is up, or when the process ended without such a line (at once, not at
     *                        the deadline), with the exit code and the last lines
     */
    public MatchResult waitForLine(int fromLine, String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int next = fromLine;
            while (true) {
                for (; next < lines.size(); next++) {
                    Matcher m = p.matcher(lines.get(next));
                    if (m.find()) {
                        return m.toMatchResult();
                    }
                }
                if (outputEnded) {
                    throw new AssertionError(name + " ended (exit " + exitText() + ") with no line matching /" + regex + "/; last lines:\n" + tail());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " printed no line matching /" + regex + "/ within " + timeout.toMillis() + " ms; last lines:\n" + tail());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * SIGTERM (shutdown hooks run), then waits for the exit; returns the exit code (143 for a JVM ended by the
     * signal). Signalled through the process handle: {@link Process#destroy()} would also close the output pipe and
     * lose what the child prints while stopping.
     */
    public int sigterm() {
        process.toHandle().destroy();
        return waitForExit(STOP_TIMEOUT);
    }

    /** SIGKILL (nothing runs in the child), then waits for the exit; returns the exit code (137). Children it started live on. */
    public int sigkill() {
        process.toHandle().destroyForcibly();
        return waitForExit(STOP_TIMEOUT);
    }

    /**
     * Waits for the process to end by itself and for its last output line; returns the exit code.
     *
     * @throws AssertionError when it still runs after {@code timeout}
     */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + timeout.toMillis() + " ms; last lines:\n" + tail());
            }
            pump.join(Duration.ofSeconds(5));
            LOG.info("{} exited: pid={} code={}", name, process.pid(), process.exitValue());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
    }

    /** The exit code; throws when the process still runs. */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs");
        }
        return process.exitValue();
    }

    /** Kills the process and everything it started, if still running. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: this is the hook
        }
        List<ProcessHandle> started = process.descendants().toList();
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
        }
        started.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            pump.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                file.write(line);
                file.newLine();
                file.flush();
                if (mirror) {
                    System.out.println("[" + name + "] " + line);
                }
                lock.lock();
                try {
                    lines.add(line);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            LOG.warn("output of {} lost: {}", name, e.toString());
        } finally {
            lock.lock();
            try {
                outputEnded = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private String exitText() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running, output closed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The last 20 lines (caller holds the lock or accepts a snapshot). */
    private String tail() {
        List<String> l = lines();
        return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
    }
}
