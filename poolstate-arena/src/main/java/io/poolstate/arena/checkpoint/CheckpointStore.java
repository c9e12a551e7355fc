package io.poolstate.arena.checkpoint;

import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolState;
import io.poolstate.eth.Bytes32;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arena's state on disk at a block boundary ({@link CheckpointCodec}: binary, versioned, CRC-checked): chain id,
 * block number and hash, each pool's metadata, state and the block it was read at. Written to a temporary file,
 * forced to disk and moved into place, so a crash leaves the previous checkpoint intact. Safe from any thread (it
 * writes immutable views; writes are serialised).
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

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

    /** Writes {@code v}'s pools; returns the file's size in bytes. */
    public synchronized long write(ArenaView v) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 20)) {
            CheckpointCodec.write(out, v.chainId(), v.blockNumber(), v.blockHash(), v.pools().values(), v.pools().size(), v.scrapedAt());
            out.flush();
            ch.force(true);
        }
        long size = Files.size(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return size;
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
            CheckpointCodec.Checkpoint c = CheckpointCodec.read(Files.readAllBytes(file));
            if (c.chainId() != chainId) {
                LOG.warn("checkpoint ignored: file={} reason=chain id differs checkpoint_chain_id={} chain_id={}", file, c.chainId(), chainId);
                return null;
            }
            return new Checkpoint(c.chainId(), c.blockNumber(), c.blockHash(), c.states(), c.scrapedAt());
        } catch (IOException | CheckpointFormatException e) {
            LOG.warn("checkpoint ignored: file={} reason={}", file, e.getMessage());
            return null;
        }
    }
}
