package io.poolstate.arena.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python reader ({@code poolstate-mmap/src/main/python/arena_file.py}) reads what the writer wrote, spelled as the HTTP API spells it. */
class PythonArenaFileReaderTest {
    static final Path SCRIPT = Path.of("..", "poolstate-mmap", "src", "main", "python", "arena_file.py").toAbsolutePath().normalize();

    /** Runs the Python reader with {@code args} and parses its JSON answer. */
    static JsonNode python(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "python3";
        cmd[1] = SCRIPT.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python reader failed: " + err).isZero();
        return new ObjectMapper().readTree(out);
    }

    /** The pool as JSON, in the HTTP API's spelling of {@code /v1/pools/{id}} (the fields the file holds). */
    static void assertSameAsSnapshot(JsonNode p, PoolSnapshot s, long scrapedAt) {
        PoolDescriptor d = s.descriptor();
        assertThat(p.get("id").asText()).isEqualTo(d.id().toString());
        assertThat(p.get("protocol").asText()).isEqualTo(d.protocol().wireName());
        assertThat(p.get("token0").asText()).isEqualTo(d.token0().address().toString());
        assertThat(p.get("token1").asText()).isEqualTo(d.token1().address().toString());
        assertThat(p.get("scraped_at").asLong()).isEqualTo(scrapedAt);
        switch (s) {
            case PoolSnapshot.V2 v2 -> {
                assertThat(p.get("reserve0").asText()).isEqualTo(v2.reserve0().toString());
                assertThat(p.get("reserve1").asText()).isEqualTo(v2.reserve1().toString());
            }
            case PoolSnapshot.Concentrated c -> {
                assertThat(p.get("sqrt_price_x96").asText()).isEqualTo(c.sqrtPriceX96().toString());
                assertThat(p.get("tick").asInt()).isEqualTo(c.tick());
                assertThat(p.get("liquidity").asText()).isEqualTo(c.liquidity().toString());
                assertThat(p.get("fee").asInt()).isEqualTo(d.fee());
                assertThat(p.get("tick_spacing").asInt()).isEqualTo(d.tickSpacing());
                if (d.protocol() == Protocol.UNISWAP_V4) {
                    assertThat(p.get("lp_fee").asInt()).isEqualTo(c.fee());
                    assertThat(p.get("protocol_fee").asInt()).isEqualTo(c.protocolFee());
                    assertThat(p.get("hooks").asText()).isEqualTo(d.hooks().toString());
                }
                assertThat(p.get("ticks")).hasSize(c.ticks().size());
                int i = 0;
                for (Map.Entry<Integer, TickInfo> t : c.ticks().entrySet()) {
                    JsonNode j = p.get("ticks").get(i++);
                    assertThat(j.get("tick").asInt()).isEqualTo(t.getKey());
                    assertThat(j.get("liquidity_gross").asText()).isEqualTo(t.getValue().liquidityGross().toString());
                    assertThat(j.get("liquidity_net").asText()).isEqualTo(t.getValue().liquidityNet().toString());
                }
            }
        }
    }

    @Test
    void readsEveryPoolAndOnePool(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arena.bin");
        Map<PoolId, PoolSnapshot> pools = new HashMap<>();
        Map<PoolId, Long> scraped = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            PoolDescriptor d = Snapshots.descriptor(i, Protocol.values()[i % 3]);
            pools.put(d.id(), Snapshots.at(d, 977 + i * 13));
            scraped.put(d.id(), 40L + i);
        }
        try (ArenaFileWriter w = ArenaFileWriter.create(file, 1337)) {
            w.publishAll(Snapshots.view(42, pools, scraped));
            JsonNode all = python(file.toString());
            assertThat(all.get("block_number").asLong()).isEqualTo(42);
            assertThat(all.get("block_hash").asText()).isEqualTo(Snapshots.hash(42).toString());
            assertThat(all.get("chain_id").asLong()).isEqualTo(1337);
            assertThat(all.get("pools")).hasSize(12);
            for (JsonNode p : all.get("pools")) {
                PoolId id = PoolId.parse(p.get("id").asText());
                assertSameAsSnapshot(p, pools.get(id), scraped.get(id));
            }
            PoolDescriptor v4 = Snapshots.descriptor(2, Protocol.UNISWAP_V4);
            JsonNode one = python(file.toString(), v4.id().toString().toUpperCase().replace("0X", "0x"));
            assertSameAsSnapshot(one, pools.get(v4.id()), scraped.get(v4.id()));
            assertThat(one.get("block_number").asLong()).isEqualTo(42);
        }
        assertThat(Files.exists(SCRIPT)).isTrue();
    }
}
