package io.poolstate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of the test's own: its own cluster (data directory under the temporary directory) on a
 * free 127.0.0.1 port, trust authentication for user {@code postgres} on 127.0.0.1 inside that cluster only, no
 * Unix socket. The machine's clusters and their configuration are never touched. A test can stop it (fast
 * shutdown), kill it (every server process SIGKILLed: a crash, recovered at the next start), restart it on the
 * same port with the same data, and close it (the directory is removed).
 *
 * <p>Binaries: {@code -Dpoolstate.pg.bin} or {@code POOLSTATE_PG_BIN}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}; missing binaries skip the test. initdb and postgres refuse to run as
 * root: as root they run as the {@code postgres} system user ({@code runuser -u postgres --}), which owns the
 * directory. The first cluster of a JVM is made by initdb (a few seconds), later ones are copies of it (well
 * under a second). A server still running when the test JVM exits is killed and its directory removed. Durability is traded for speed ({@code fsync=off}): a killed server keeps every committed
 * row (the operating system keeps the written pages), a machine crash would not.
 *
 * <p>Not thread-safe: one test thread controls an instance.
 */
public final class PostgresServerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServerProcess.class);
    private static final String USER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static Path template; // guarded by PostgresServerProcess.class

    private final Path bin;
    private final boolean asServerUser;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private final Thread shutdownHook = new Thread(this::close, "postgres-cleanup");
    private Process process;
    private ProcessHandle postmaster;

    private PostgresServerProcess(Path bin, boolean asServerUser, Path dir, int port) {
        this.bin = bin;
        this.asServerUser = asServerUser;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.port = port;
        Runtime.getRuntime().addShutdownHook(shutdownHook); // a test JVM that dies leaves no server behind
    }

    /** A new cluster, started; skips the test when the PostgreSQL binaries are not installed. */
    public static PostgresServerProcess start() {
        Path bin = binaries();
        boolean root = isRoot();
        if (root) {
            Assumptions.assumeTrue(serverUser() != null, "running as root and there is no '" + USER + "' system user to run PostgreSQL as");
        }
        Path dir = null;
        PostgresServerProcess p = null;
        try {
            Path tpl = template(bin, root);
            dir = privateDirectory("poolstate-pg-", root);
            p = new PostgresServerProcess(bin, root, dir, LoopbackPorts.free());
            p.run(List.of("cp", "-a", tpl.toString(), p.data.toString()), "copy the template cluster");
            long t0 = System.nanoTime();
            p.launch();
            LOG.info("postgres started: port={} data={} pid={} in {} ms", p.port, p.data, p.postmaster.pid(), (System.nanoTime() - t0) / 1_000_000);
            return p;
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            } else if (dir != null) {
                delete(dir);
            }
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}; user {@link #user()}, no password. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return USER;
    }

    public Path dataDirectory() {
        return data;
    }

    /** The server's own log (every start appends to it). */
    public Path logFile() {
        return log;
    }

    public boolean isRunning() {
        return postmaster != null && postmaster.isAlive();
    }

    /** Creates database {@code name} (lowercase letters, digits, underscores) on the running server. */
    public void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE DATABASE " + name), "create database " + name);
    }

    /** Fast shutdown (open transactions roll back, clients are disconnected); returns once the server has exited. */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "30"), "stop the server");
        awaitExit();
        LOG.info("postgres stopped: port={}", port);
    }

    /**
     * SIGKILL to the postmaster and every server process at once, as an out-of-memory killer would do; clients see
     * their connections reset. The next {@link #restart()} runs crash recovery.
     */
    public void kill() {
        if (!isRunning()) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        postmaster.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroyForcibly);
        awaitExit();
        LOG.info("postgres killed: port={} processes={}", port, all.size());
    }

    /** Stops the server if it runs (fast shutdown) and starts it again, same port, same data. */
    public void restart() {
        stop();
        long t0 = System.nanoTime();
        launch();
        LOG.info("postgres restarted: port={} pid={} in {} ms", port, postmaster.pid(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Stops the server at once (immediate shutdown) and removes its directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: this is the hook
        }
        if (isRunning()) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "immediate", "-w", "-t", "10"), "stop the server");
                awaitExit();
            } catch (RuntimeException e) {
                kill();
            }
        }
        delete(dir);
    }

    private void launch() {
        List<String> cmd = command(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
                "-c", "full_page_writes=off", "-c", "max_connections=100", "-c", "shared_buffers=32MB", "-c", "logging_collector=off"));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start postgres: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        List<String> ready = List.of(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres");
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with code " + process.exitValue() + " while starting on port " + port + ": " + tail());
            }
            if (exitCode(ready) == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                List<ProcessHandle> all = new ArrayList<>(process.descendants().toList()); // runuser's child is the server
                all.add(process.toHandle());
                all.forEach(ProcessHandle::destroyForcibly);
                throw new IllegalStateException("postgres did not accept connections within " + START_TIMEOUT.toSeconds() + " s on port " + port + ": " + tail());
            }
            sleep(50);
        }
        postmaster = readPostmaster();
    }

    /** The postmaster: the pid in {@code postmaster.pid} (with runuser, our child is runuser, not the server). */
    private ProcessHandle readPostmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("postmaster " + pid + " is not running"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read postmaster.pid: " + e.getMessage(), e);
        }
    }

    private void awaitExit() {
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (Exception e) {
            throw new IllegalStateException("postgres on port " + port + " did not exit: " + e, e);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private List<String> command(List<String> cmd) {
        return command(cmd, asServerUser);
    }

    private static List<String> command(List<String> cmd, boolean asServerUser) {
        if (!asServerUser) {
            return cmd;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        out.addAll(cmd);
        return out;
    }

    private void run(List<String> cmd, String what) {
        run(command(cmd), what, log);
    }

    /** Runs {@code cmd} to its end, output appended to {@code output}; a non-zero exit is an exception naming {@code what}. */
    private static void run(List<String> cmd, String what, Path output) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("could not " + what + " within 60 s: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                throw new IllegalStateException("could not " + what + " (exit " + p.exitValue() + "): " + String.join(" ", cmd) + ": "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    private static int exitCode(List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The cluster every instance of this JVM copies: initdb once, removed when the JVM exits. */
    private static synchronized Path template(Path bin, boolean root) {
        if (template == null) {
            Path dir = privateDirectory("poolstate-pg-template-", root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "postgres-template-cleanup"));
            Path data = dir.resolve("data");
            long t0 = System.nanoTime();
            run(command(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                    "--no-locale", "--no-sync"), root), "initialise a cluster", dir.resolve("initdb.log"));
            LOG.info("postgres template cluster: {} in {} ms", data, (System.nanoTime() - t0) / 1_000_000);
            template = data;
        }
        return template;
    }

    /** A new directory under the temporary directory, mode 700, owned by the server's user. */
    private static Path privateDirectory(String prefix, boolean root) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            if (root) {
                Files.setOwner(dir, serverUser());
                Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(USER));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static UserPrincipal serverUser() {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        } catch (UserPrincipalNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Path binaries() {
        String configured = System.getProperty("poolstate.pg.bin", System.getenv("POOLSTATE_PG_BIN"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            Assumptions.assumeTrue(Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("postgres")),
                    "no initdb/postgres in " + p + " (poolstate.pg.bin / POOLSTATE_PG_BIN)");
            return p;
        }
        Path base = Path.of("/usr/lib/postgresql");
        Path best = null;
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                best = versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/postgres")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString()))).map(v -> v.resolve("bin")).orElse(null);
            } catch (IOException e) {
                best = null;
            }
        }
        Assumptions.assumeTrue(best != null, "PostgreSQL binaries not installed (/usr/lib/postgresql/<version>/bin; -Dpoolstate.pg.bin names others)");
        return best;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for postgres", e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not remove postgres directory: dir={} reason={}", dir, e.toString());
        }
    }
}
