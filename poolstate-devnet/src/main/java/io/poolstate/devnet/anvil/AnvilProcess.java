package io.poolstate.devnet.anvil;

import io.poolstate.devnet.DevnetException;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RetryPolicy;
import io.poolstate.eth.rpc.RpcException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Anvil node on 127.0.0.1: HTTP and WebSocket on one port, IPC on a socket file. Blocks are mined
 * only on request ({@code --no-mining}, transactions in arrival order), so a block holds many transactions.
 * Stopped by {@link #close()} or when the JVM exits.
 */
public final class AnvilProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnvilProcess.class);
    /** Anvil's default chain id, the devnet's unless another is asked for. */
    public static final long CHAIN_ID = 31337;

    private final Process process;
    private final long chainId;
    private final int port;
    private final Path ipcPath;
    private final Path logFile;
    private final Thread shutdownHook;
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();

    /** How long a stop waits for Anvil to exit before killing it: long when it writes its state on exit. */
    private final long stopGraceSeconds;

    private AnvilProcess(Process process, long chainId, int port, Path ipcPath, Path logFile, long stopGraceSeconds) {
        this.process = process;
        this.chainId = chainId;
        this.stopGraceSeconds = stopGraceSeconds;
        this.port = port;
        this.ipcPath = ipcPath;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "anvil-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Anvil on chain {@link #CHAIN_ID} and waits until it answers.
     *
     * @throws DevnetException when the port is taken, the binary is missing or Anvil does not come up
     */
    public static AnvilProcess start(Path anvil, int port, Path workDir) {
        return start(anvil, port, workDir, CHAIN_ID, List.of());
    }

    /**
     * Starts Anvil answering {@code eth_chainId} with {@code chainId} (several devnets side by side, each its own
     * chain) and waits until it answers.
     */
    public static AnvilProcess start(Path anvil, int port, Path workDir, long chainId) {
        return start(anvil, port, workDir, chainId, List.of());
    }

    /** Starts Anvil on chain {@link #CHAIN_ID} with {@code extraArgs} appended; see the next. */
    public static AnvilProcess start(Path anvil, int port, Path workDir, List<String> extraArgs) {
        return start(anvil, port, workDir, CHAIN_ID, extraArgs);
    }

    /**
     * Starts Anvil answering {@code eth_chainId} with {@code chainId}, with {@code extraArgs} appended (e.g.
     * {@code --dump-state FILE}, {@code --load-state FILE}), and waits until it answers, up to {@code 30 s} plus a
     * second per 20 MB of a state file to load.
     *
     * @throws DevnetException when the chain id is not positive, the port is taken, the binary is missing or Anvil
     *     does not come up
     */
    public static AnvilProcess start(Path anvil, int port, Path workDir, long chainId, List<String> extraArgs) {
        if (chainId < 1) {
            throw new DevnetException("--chain-id must be positive: chain_id=" + chainId);
        }
        requirePortFree(port);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new DevnetException("cannot create devnet directory " + workDir + ": " + e.getMessage(), e);
        }
        Path ipc = workDir.resolve("anvil.ipc");
        Path log = workDir.resolve("anvil.log");
        List<String> cmd = new java.util.ArrayList<>(List.of(anvil.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--ipc", ipc.toString(), "--chain-id", Long.toString(chainId), "--no-mining", "--order", "fifo",
                "--disable-block-gas-limit", "--disable-code-size-limit", "--no-request-size-limit", "--accounts", "10", "--balance", "1000000"));
        cmd.addAll(extraArgs);
        long loadBytes = 0;
        int load = extraArgs.indexOf("--load-state");
        if (load >= 0 && load + 1 < extraArgs.size()) {
            try {
                loadBytes = Files.size(Path.of(extraArgs.get(load + 1)));
            } catch (IOException e) {
                throw new DevnetException("cannot read Anvil state file " + extraArgs.get(load + 1) + ": " + e.getMessage(), e);
            }
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new DevnetException("cannot start Anvil (" + anvil + "): " + e.getMessage(), e);
        }
        AnvilProcess a = new AnvilProcess(p, chainId, port, ipc, log, extraArgs.contains("--dump-state") ? 900 : 5);
        a.awaitReady(Duration.ofSeconds(30 + loadBytes / 20_000_000));
        LOG.info("anvil started: pid={} chain_id={} http={} ipc={}", p.pid(), chainId, a.httpUrl(), ipc);
        return a;
    }

    private static void requirePortFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new DevnetException("port " + port + " on 127.0.0.1 is already in use (another node or devnet?): "
                    + "stop it or choose another with --port");
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (EthClient eth = EthClient.open(httpUrl(), RetryPolicy.NONE.withTimeout(Duration.ofSeconds(2)))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new DevnetException("Anvil exited with code " + process.exitValue() + " during start-up: " + tail());
                }
                try {
                    if (eth.chainId() == chainId && Files.exists(ipcPath)) {
                        return;
                    }
                } catch (RpcException e) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        throw new DevnetException("Anvil did not answer within " + timeout.toSeconds() + " s on port " + port + ": " + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port;
    }

    public String ipcUrl() {
        return "ipc://" + ipcPath.toAbsolutePath();
    }

    /** The chain id Anvil answers with. */
    public long chainId() {
        return chainId;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Blocks until Anvil exits. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopGraceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("anvil stopped: port={}", port);
    }
}
