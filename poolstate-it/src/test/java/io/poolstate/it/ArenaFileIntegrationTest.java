package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.mmap.ArenaFileReader;
import io.poolstate.mmap.PoolHandle;
import io.poolstate.mmap.PoolRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arena writes its file ({@code --mmap}) while devnet traffic with reorgs is applied; readers in Java (a thread
 * reading pools all the time) and in Python (a process started as each block is applied) read it concurrently, and
 * every pool they return equals {@code /v1/pools/{id}} at the block they name.
 */
class ArenaFileIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON_READER = Path.of("..", "poolstate-mmap", "src", "main", "python", "arena_file.py").toAbsolutePath().normalize();
    private static final List<String> FIELDS = List.of("id", "protocol", "token0", "token1", "scraped_at", "reserve0", "reserve1", "sqrt_price_x96",
            "tick", "liquidity", "fee", "tick_spacing", "lp_fee", "protocol_fee", "hooks");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readersEqualTheApiAtTheirBlock(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 131L);
        System.out.println("arena file seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        Path file = dir.resolve("arena.mmap");
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), seed, 7)) {
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), ArenaAgent.Settings.DEFAULT,
                    metrics).arenaFile(file).start();
                 io.poolstate.arena.ChainWatch watch = new io.poolstate.arena.ChainWatch(devnet.eth(), io.poolstate.arena.ChainWatch.Settings.DEFAULT).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()),
                         metrics).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                f.stepwise();
                /** The API's pools per block hash, rendered: what every reader's answer at that block must equal. */
                Map<String, Map<String, String>> apiAt = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<String[]> javaReads = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                List<String> ids = f.d.pools().stream().map(p -> p.id().toString()).toList();
                Thread javaReader = Thread.ofPlatform().name("arena-file-reader").start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try (ArenaFileReader reader = ArenaFileReader.open(file)) {
                        PoolHandle[] handles = ids.stream().map(PoolHandle::of).toArray(PoolHandle[]::new);
                        PoolRecord rec = new PoolRecord();
                        while (!stop.get()) {
                            int i = r.nextInt(handles.length);
                            if (reader.readPool(handles[i], rec) && javaReads.size() < 200_000) {
                                javaReads.add(new String[] {rec.blockHash(), rec.id(), render(rec)});
                            }
                            if (i % 8 == 0) {
                                Thread.sleep(1); // leave the arena and the chain some of the machine's two cores
                            }
                        }
                    } catch (Exception e) {
                        javaReads.add(new String[] {"failed", e.toString(), ""});
                    }
                });
                BlockHeader first = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(first.hash()), "arena at block " + first.number());
                record(base, ids, first.hash().toString(), apiAt);
                int pythonCompared = 0;
                int javaSnapshots = 0;
                try (ArenaFileReader reader = ArenaFileReader.open(file)) {
                    for (int step = 0; step < 40; step++) {
                        CompletableFuture<JsonNode> python = CompletableFuture.supplyAsync(() -> pythonSnapshot(file));
                        f.step(); // the arena applies the block while the Python reader reads
                        BlockHeader head = devnet.eth().latestHeader();
                        ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at block " + head.number());
                        record(base, ids, head.hash().toString(), apiAt);

                        ArenaFileReader.Snapshot s = reader.snapshot();
                        Map<String, String> got = new TreeMap<>();
                        s.pools().forEach(p -> got.put(p.id(), render(p)));
                        assertThat(s.blockHash()).isEqualTo(head.hash().toString());
                        assertThat(got).as("Java snapshot at block %d", head.number()).isEqualTo(apiAt.get(s.blockHash()));
                        javaSnapshots++;

                        JsonNode py = python.get(60, TimeUnit.SECONDS);
                        Map<String, String> api0 = apiAt.get(py.get("block_hash").asText());
                        if (api0 != null) {
                            Map<String, String> pyGot = new TreeMap<>();
                            py.get("pools").forEach(p -> pyGot.put(p.get("id").asText(), render(p)));
                            assertThat(pyGot).as("Python snapshot at block %d", py.get("block_number").asLong()).isEqualTo(api0);
                            pythonCompared++;
                        }
                    }
                }
                stop.set(true);
                javaReader.join();
                int compared = 0;
                int unrecorded = 0;
                for (String[] read : javaReads) {
                    assertThat(read[0]).as("Java reader: %s", read[1]).isNotEqualTo("failed");
                    Map<String, String> at = apiAt.get(read[0]);
                    if (at == null) {
                        unrecorded++; // a block the API was not asked at (one mined inside a reorg step)
                        continue;
                    }
                    assertThat(read[2]).as("Java read of %s at block %s", read[1], read[0]).isEqualTo(at.get(read[1]));
                    compared++;
                }
                System.out.println("arena file: 40 blocks, Java snapshots=" + javaSnapshots + " Python snapshots equal to the API=" + pythonCompared
                        + ", concurrent Java pool reads equal to the API=" + compared + " (at blocks not asked: " + unrecorded + "), reverted blocks="
                        + metrics.blocksReverted.count() + ", file blocks=" + metrics.arenaFileBlocks.count() + " records rewritten="
                        + metrics.arenaFileRecords.count());
                assertThat(metrics.blocksReverted.count()).as("reorgs went through the journal").isPositive();
                assertThat(pythonCompared).isGreaterThanOrEqualTo(30);
                assertThat(compared).isGreaterThan(1000);
                assertThat(metrics.arenaFileRecords.count()).as("only changed pools are rewritten")
                        .isLessThan(metrics.arenaFileBlocks.count() * f.d.pools().size());
            }
        }
    }

    /** Asks the API for every pool; all answers must name {@code hash} (the chain stands still). */
    private void record(String base, List<String> ids, String hash, Map<String, Map<String, String>> apiAt) throws Exception {
        Map<String, String> pools = new TreeMap<>();
        for (String id : ids) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/" + id)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as("GET %s: %s", id, res.body()).isEqualTo(200);
            JsonNode n = JSON.readTree(res.body());
            assertThat(n.get("block_hash").asText()).isEqualTo(hash);
            pools.put(id, render(n));
        }
        apiAt.put(hash, pools);
    }

    /** Every pool in the arena file, read by the Python reader in a process of its own. */
    private static JsonNode pythonSnapshot(Path file) {
        try {
            Process p = new ProcessBuilder("python3", PYTHON_READER.toString(), file.toString()).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("python reader failed: " + err);
            }
            return JSON.readTree(out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The API's fields of a pool (JSON from the API or the Python reader) as one line. */
    static String render(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        for (String field : FIELDS) {
            if (n.has(field)) {
                sb.append(field).append('=').append(n.get(field).asText()).append(' ');
            }
        }
        n.path("ticks").forEach(t -> sb.append(t.path("tick").asInt()).append(':').append(t.path("liquidity_gross").asText()).append('/')
                .append(t.path("liquidity_net").asText()).append(' '));
        return sb.toString();
    }

    /** A record from the Java reader in the API's spelling. */
    static String render(PoolRecord r) {
        var n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("protocol", switch (r.protocol()) {
            case 2 -> "uniswap_v2";
            case 3 -> "uniswap_v3";
            default -> "uniswap_v4";
        });
        n.put("token0", r.token0());
        n.put("token1", r.token1());
        n.put("scraped_at", r.scrapedAt());
        if (r.protocol() == 2) {
            n.put("reserve0", r.reserve0().toString());
            n.put("reserve1", r.reserve1().toString());
        } else {
            n.put("sqrt_price_x96", r.sqrtPriceX96().toString());
            n.put("tick", r.tick());
            n.put("liquidity", r.liquidity().toString());
            n.put("fee", r.keyFee());
            n.put("tick_spacing", r.tickSpacing());
            if (r.protocol() == 4) {
                n.put("lp_fee", r.swapFee());
                n.put("protocol_fee", r.protocolFee());
                n.put("hooks", r.hooks());
            }
            var ticks = n.putArray("ticks");
            for (int i = 0; i < r.tickCount(); i++) {
                ticks.addObject().put("tick", r.tickAt(i)).put("liquidity_gross", r.liquidityGross(i).toString())
                        .put("liquidity_net", r.liquidityNet(i).toString());
            }
        }
        return render(n);
    }
}
