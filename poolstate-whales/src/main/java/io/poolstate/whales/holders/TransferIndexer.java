package io.poolstate.whales.holders;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogRangeReader;
import io.poolstate.whales.store.WhaleStore;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes an ERC-20's {@code Transfer} history into holder balances (base units) in Postgres, incrementally:
 * each chunk of blocks is applied with the new position in one transaction, so a stop anywhere resumes where it
 * stopped; ranges the node refuses are split ({@link LogRangeReader}). The zero address (mints, burns) is not a
 * holder. If the indexed block's hash changed (a reorg below the position) the index starts again. Used by the
 * snapshot thread only.
 */
public final class TransferIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(TransferIndexer.class);
    /** {@code Transfer(address indexed from, address indexed to, uint256 value)}. */
    public static final Bytes32 TRANSFER = Keccak256.ofUtf8("Transfer(address,address,uint256)");

    private final EthClient eth;
    private final WhaleStore store;
    private final Address token;
    private final long startBlock;
    private final long chunkBlocks;
    private final LogRangeReader reader;

    /**
     * @param startBlock the first block to read (the token's deployment block, or 0)
     * @param chunkBlocks blocks per committed chunk
     */
    public TransferIndexer(EthClient eth, WhaleStore store, Address token, long startBlock, long chunkBlocks) {
        this.eth = eth;
        this.store = store;
        this.token = token;
        this.startBlock = startBlock;
        this.chunkBlocks = chunkBlocks;
        this.reader = new LogRangeReader(eth);
    }

    /** Brings the index to {@code target} (inclusive); returns the number of Transfer logs applied. */
    public long indexTo(BlockHeader target) throws SQLException {
        long next = startBlock;
        var progress = store.progress();
        if (progress.isPresent()) {
            var p = progress.get();
            if (p.block() > target.number() || !eth.header(p.block()).hash().toString().equals(p.hash())) {
                LOG.warn("whale index reorged or ahead of the chain: asset={} indexed_block={} target={}; re-indexing from block {}",
                        store.asset(), p.block(), target.number(), startBlock);
                store.resetIndex();
            } else {
                next = p.block() + 1;
            }
        }
        long applied = 0;
        while (next <= target.number()) {
            long end = Math.min(target.number(), next + chunkBlocks - 1);
            List<Log> logs = reader.read(next, end, List.of(token), List.of(TRANSFER));
            Map<Address, BigInteger> deltas = new HashMap<>();
            for (Log l : logs) {
                applied += apply(l, deltas);
            }
            Bytes32 endHash = end == target.number() ? target.hash() : eth.header(end).hash();
            store.applyTransfers(deltas, new WhaleStore.Progress(end, endHash.toString()));
            next = end + 1;
        }
        return applied;
    }

    private int apply(Log l, Map<Address, BigInteger> deltas) {
        if (l.removed() || l.topics().size() != 3 || l.data().length != 32) {
            if (!l.removed()) {
                throw new IllegalStateException("not an ERC-20 Transfer log: token=" + token + " block=" + l.blockNumber() + " at=" + l.position()
                        + " topics=" + l.topics().size() + " dataBytes=" + l.data().length);
            }
            return 0;
        }
        Address from = Address.fromWord(l.topics().get(1).toBytes(), 0);
        Address to = Address.fromWord(l.topics().get(2).toBytes(), 0);
        BigInteger value = new BigInteger(1, l.data());
        if (!from.isZero()) {
            deltas.merge(from, value.negate(), BigInteger::add);
        }
        if (!to.isZero()) {
            deltas.merge(to, value, BigInteger::add);
        }
        return 1;
    }
}
