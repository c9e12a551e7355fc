package io.poolstate.testkit;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormat;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A nats-server with JetStream of the test's own (own port, own store), so a test can stop and restart it;
 * optionally with a small {@code max_payload}, as a server configured for small messages would have, or with
 * configuration of its own (credentials, TLS).
 */
public final class NatsServerProcess implements AutoCloseable {
    /** nats-server's own default {@code max_payload}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 1 << 20;

    private final Path binary;
    private final Path dir;
    private final int port;
    private final int maxPayload;
    private final String config;
    private final Thread shutdownHook = new Thread(this::killQuietly, "nats-server-cleanup");
    private Process process;

    private NatsServerProcess(Path binary, Path dir, int port, int maxPayload, String config) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.maxPayload = maxPayload;
        this.config = config;
        Runtime.getRuntime().addShutdownHook(shutdownHook); // a test JVM that dies leaves no server behind
    }

    /** Starts one, or skips the test when nats-server is not installed (./run-tests installs it). */
    public static NatsServerProcess start(Path dir) throws Exception {
        return start(dir, DEFAULT_MAX_PAYLOAD, null);
    }

    /** Starts one whose clients may publish at most {@code maxPayload} bytes per message. */
    public static NatsServerProcess start(Path dir, int maxPayload) throws Exception {
        return start(dir, maxPayload, null);
    }

    /**
     * Starts one with {@code config} added to its configuration file (an {@code authorization} or {@code tls} block,
     * say; null for none), or skips the test when nats-server is not installed. A server with a configuration is
     * ready when its log says so (a client without its credentials could not ask).
     */
    public static NatsServerProcess start(Path dir, String config) throws Exception {
        return start(dir, DEFAULT_MAX_PAYLOAD, config);
    }

    /**
     * Starts a JetStream cluster of {@code nodes} servers on loopback ports (each its own directory under {@code dir},
     * routes to all the others), and returns once the cluster answers JetStream requests (its meta leader is
     * elected); or skips the test when nats-server is not installed. Kill one with {@link #kill()}, bring it back
     * with {@link #restart()}.
     */
    public static java.util.List<NatsServerProcess> startCluster(Path dir, int nodes) throws Exception {
        int[] cluster = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            cluster[i] = LoopbackPorts.free();
        }
        java.util.List<NatsServerProcess> out = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            StringBuilder routes = new StringBuilder();
            for (int j = 0; j < nodes; j++) {
                if (j != i) {
                    routes.append(routes.isEmpty() ? "" : ", ").append("nats-route://127.0.0.1:").append(cluster[j]);
                }
            }
            String config = "server_name: n" + (i + 1) + "\ncluster {\n  name: poolstate-test\n  listen: 127.0.0.1:" + cluster[i] + "\n  routes: ["
                    + routes + "]\n}";
            out.add(start(dir.resolve("n" + (i + 1)), DEFAULT_MAX_PAYLOAD, config));
        }
        awaitJetStream(urls(out), Duration.ofSeconds(30));
        return out;
    }

    /** The client URLs of {@code servers}, comma-separated (what {@code --nats} and {@code --feed} take). */
    public static String urls(java.util.List<NatsServerProcess> servers) {
        return String.join(",", servers.stream().map(NatsServerProcess::url).toList());
    }

    /** Waits until JetStream answers through {@code urls} (a cluster elects its meta leader after its routes connect). */
    public static void awaitJetStream(String urls, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Options once = new Options.Builder().servers(urls.split(",")).noReconnect().connectionTimeout(Duration.ofSeconds(2))
                .errorListener(new ErrorListener() { }).build();
        while (true) {
            try (Connection c = Nats.connect(once)) {
                c.jetStreamManagement().getAccountStatistics();
                return;
            } catch (IOException | JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("JetStream did not answer within " + timeout + " at " + urls + ": " + e.getMessage());
                }
                Thread.sleep(200);
            }
        }
    }

    private static NatsServerProcess start(Path dir, int maxPayload, String config) throws Exception {
        Path binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? Path.of("/usr/sbin/nats-server") : Path.of("/usr/bin/nats-server");
        Assumptions.assumeTrue(Files.isExecutable(binary), "nats-server not installed (./run-tests installs it)");
        NatsServerProcess n = new NatsServerProcess(binary, dir, LoopbackPorts.free(), maxPayload, config);
        n.restart();
        return n;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** Starts the server (stopping it first if it runs), same port, same JetStream store, same configuration; returns once it is ready. */
    public void restart() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("nats.conf");
        Files.writeString(file, "max_payload: " + maxPayload + "\n" + (config == null ? "" : config + "\n"));
        Path log = dir.resolve("nats.log");
        long readyBefore = readyLines(log);
        process = new ProcessBuilder(binary.toString(), "-c", file.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd",
                dir.resolve("js").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        if (config != null) {
            while (readyLines(log) <= readyBefore) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("nats-server exited with code " + process.exitValue() + " on port " + port + " (see " + log + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server was not ready within 20 s on port " + port + " (see " + log + ")");
                }
                Thread.sleep(50);
            }
            return;
        }
        Options once = new Options.Builder().server(url()).noReconnect().connectionTimeout(Duration.ofSeconds(2))
                .errorListener(new ErrorListener() { }).build(); // refused attempts while starting are expected: not logged
        while (true) {
            // ready means JetStream answers, which comes a moment after the port opens (the store is recovered first)
            try (Connection c = Nats.connect(once)) {
                c.jetStreamManagement().getAccountStatistics();
                return;
            } catch (IOException | JetStreamApiException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("nats-server exited with code " + process.exitValue() + " on port " + port + " (see " + dir.resolve("nats.log") + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not serve JetStream within 20 s on port " + port + ": " + e.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }

    /** SIGTERM: the server shuts down and disconnects its clients; returns once it has exited. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** SIGKILL: the server dies at once, as in a crash; {@link #restart()} recovers the JetStream store. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(url()).maxReconnects(-1).build());
    }

    /** The whitelist stream with the server's default limits (the publisher sets its own limits on it). */
    public static void createStream(Connection c) throws Exception {
        c.jetStreamManagement().addStream(StreamConfiguration.builder().name(WhitelistSubjects.STREAM)
                .subjects(WhitelistSubjects.STREAM_SUBJECTS).storageType(StorageType.File).build());
    }

    /** Publishes raw bytes as a JetStream message, with a message id when one is given (a hand-made or hostile message). */
    public static void publishRaw(Connection c, String subject, String messageId, byte[] data) throws Exception {
        Headers h = new Headers();
        if (messageId != null) {
            h.put(WhitelistSubjects.MSG_ID_HEADER, messageId);
        }
        c.jetStream().publish(NatsMessage.builder().subject(subject).headers(h).data(data).build());
    }

    /** Publishes to {@code whitelist.pools.<chain>.minimal} with the snapshot id as message id; retries while the server restarts. */
    public static void publishMinimal(Connection c, String chain, WhitelistMessage m) throws Exception {
        Headers h = new Headers().put(WhitelistSubjects.MSG_ID_HEADER, new WhitelistSubjects(chain).messageId(m.snapshotId(), WhitelistFormat.MINIMAL, 1, 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                c.jetStream().publish(NatsMessage.builder().subject(new WhitelistSubjects(chain).subject(WhitelistFormat.MINIMAL)).headers(h)
                        .data(WhitelistCodec.writeMinimal(m)).build());
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Publishes to {@code whitelist.pools.<chain>.full} (full format) with its message id. */
    public static void publishFull(Connection c, String chain, WhitelistMessage m) throws Exception {
        Headers h = new Headers().put(WhitelistSubjects.MSG_ID_HEADER, new WhitelistSubjects(chain).messageId(m.snapshotId(), WhitelistFormat.FULL, 1, 1));
        c.jetStream().publish(NatsMessage.builder().subject(new WhitelistSubjects(chain).subject(WhitelistFormat.FULL)).headers(h).data(WhitelistCodec.writeFull(m)).build());
    }

    private static long readyLines(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Server is ready")).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting
        }
        stop();
    }

    private void killQuietly() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
