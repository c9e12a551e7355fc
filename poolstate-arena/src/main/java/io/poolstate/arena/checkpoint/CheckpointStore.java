package io.poolstate.arena.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Bytes32;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arena's state on disk at a block boundary: chain id, block number and hash, each pool's state and the
 * block it was scraped at. JSON, written to a temporary file and moved into place, so a crash leaves the
 * previous checkpoint intact. Safe from any thread (it writes immutable views).
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 2;

    private final Path file;

    public CheckpointStore(Path file) {
        this.file = file;
    }

    /** A loaded checkpoint: the states to resume with and where they end. */
    public record Checkpoint(long chainId, long blockNumber, Bytes32 blockHash, Map<PoolId, PoolState> states, Map<PoolId, Long> scrapedAt) {
    }

    public Path file() {
        return file;
    }

    public synchronized void write(ArenaView v) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION).put("chain_id", v.chainId()).put("block_number", v.blockNumber()).put("block_hash", v.blockHash().toString());
        ArrayNode pools = root.putArray("pools");
        for (PoolSnapshot p : v.pools().values()) {
            ObjectNode n = pools.addObject();
            n.put("id", p.descriptor().id().toString());
            n.set("pool", io.poolstate.protocol.whitelist.WhitelistCodec.writePool(p.descriptor()));
            n.put("scraped_at", v.scrapedAt().getOrDefault(p.descriptor().id(), v.blockNumber()));
            switch (p) {
                case PoolSnapshot.V2 v2 -> n.put("reserve0", v2.reserve0().toString()).put("reserve1", v2.reserve1().toString());
                case PoolSnapshot.Concentrated c -> {
                    n.put("sqrt_price_x96", c.sqrtPriceX96().toString()).put("tick", c.tick()).put("liquidity", c.liquidity().toString())
                            .put("fee", c.fee()).put("protocol_fee", c.protocolFee());
                    ArrayNode ticks = n.putArray("ticks");
                    c.ticks().forEach((t, i) -> ticks.addArray().add(t).add(i.liquidityGross().toString()).add(i.liquidityNet().toString()));
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Loads the checkpoint if there is one for this chain (each pool with the metadata it was written with);
     * otherwise says why not (logged) and returns null, and the arena starts by scraping. Which of its pools are
     * served is then the feed's to say.
     */
    public Checkpoint read(long chainId) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root.path("version").asInt() != VERSION || root.path("chain_id").asLong() != chainId) {
                LOG.warn("checkpoint ignored: file={} reason=version or chain id differs", file);
                return null;
            }
            Map<PoolId, PoolState> states = new HashMap<>();
            Map<PoolId, Long> scraped = new HashMap<>();
            for (JsonNode n : root.path("pools")) {
                PoolId id = PoolId.parse(n.path("id").asText());
                PoolDescriptor d = io.poolstate.protocol.whitelist.WhitelistCodec.readPool(n.path("pool"));
                if (!d.id().equals(id) || d.problem() != null) {
                    throw new IllegalArgumentException("pool " + id + " has unusable metadata: " + (d.problem() != null ? d.problem() : "id differs"));
                }
                scraped.put(id, n.path("scraped_at").asLong());
                if (n.has("reserve0")) {
                    states.put(id, new V2PoolState(d, new BigInteger(n.path("reserve0").asText()), new BigInteger(n.path("reserve1").asText())));
                } else {
                    TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
                    for (JsonNode t : n.path("ticks")) {
                        ticks.put(t.get(0).asInt(), new TickInfo(new BigInteger(t.get(1).asText()), new BigInteger(t.get(2).asText())));
                    }
                    states.put(id, new ConcentratedPoolState(d, new BigInteger(n.path("sqrt_price_x96").asText()), n.path("tick").asInt(),
                            new BigInteger(n.path("liquidity").asText()), n.path("fee").asInt(), n.path("protocol_fee").asInt(), ticks));
                }
            }
            return new Checkpoint(chainId, root.path("block_number").asLong(), Bytes32.of(root.path("block_hash").asText()), states, scraped);
        } catch (IOException | RuntimeException | io.poolstate.protocol.whitelist.WhitelistFormatException e) {
            LOG.warn("checkpoint ignored: file={} reason={}", file, e.getMessage());
            return null;
        }
    }
}
