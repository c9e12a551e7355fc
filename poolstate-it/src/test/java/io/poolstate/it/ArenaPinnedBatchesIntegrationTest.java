package io.poolstate.it;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.WriterIdle;
import io.poolstate.arena.PoolCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.testkit.RpcCall;
import io.poolstate.testkit.RpcFault;
import io.poolstate.testkit.RpcFaultProxy;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with the scrape split into small batches, each pinned to the newest block the feed has sent, while
 * traffic runs: the pools end up scraped at several different blocks, replay gives each only its later blocks,
 * and every pool equals the chain afterwards, through further traffic with reorgs.
 *
 * <p>The chain moves with the reads, not with the clock: the arena reads the node through a proxy that, before the
 * first {@code eth_call} at each block not read at before, mines {@value #STEPS_PER_PIN} blocks and waits until the
 * feed has sent them. A later batch's pin, {@code ArenaAgent.PIN_MARGIN} below the feed's newest block, is then
 * newer than the one before it however fast the machine reads (with a block every 100 ms instead, a quick machine
 * read every batch before the feed had sent the blocks a later pin needs, and all pools ended at one block).
 */
class ArenaPinnedBatchesIntegrationTest {
    /** Blocks mined before the reads at a new pin: more than {@code ArenaAgent.PIN_MARGIN}. */
    private static final int STEPS_PER_PIN = 3;

    @Test
    void batchesPinnedToSuccessiveBlocksEndExact(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), 45, 12);
             RpcFaultProxy proxy = RpcFaultProxy.start(devnet.deployment().httpUrl(), 1);
             EthClient arenaNode = EthClient.open(proxy.url())) {
            ArenaMetrics metrics = new ArenaMetrics();
            // five pools per batch, scrapes slowed to a few calls per request and no storage lens (which reads a pool in one
            // call): the chain moves between batches
            ArenaAgent.Settings settings = new ArenaAgent.Settings(10_000, 256, new ScrapeSettings(4, 1, 1, 1000).withStorageReads(StorageReads.CALLS), 0, 0,
                    null, 100, 5,
                    java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(10), WriterIdle.PARK, ArenaAgent.Settings.DEFAULT_WARM_UP_BLOCKS);
            // the chain stands still until the arena has connected: its first batch is pinned to this head, below the
            // seed's first reorg (rolled back to block 20), so no revert can take that batch back to be read again at
            // the block the later ones are re-read at (which left every pool at one block)
            f.stepwise();
            long head0 = devnet.eth().latestHeader().number();
            assertThat(head0).as("head before the arena starts, below the seed's first reorg").isLessThan(20);
            StepPerPin stepper = new StepPerPin(f);
            proxy.add(stepper);
            try (ArenaAgent arena = new ArenaAgent(arenaNode, Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), settings, metrics).start()) {
                // then the chain moves as the batches are read: each later batch's pin is a newer block
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (arena.view().mode() != ArenaMode.LIVE) {
                    assertThat(System.nanoTime()).as("arena live within 120 s").isLessThan(deadline);
                    Thread.sleep(20);
                }
                proxy.remove(stepper); // live: from here the test moves the chain itself
                synchronized (stepper) { // once a step in flight has finished
                    assertThat(stepper.failure).as("the chain stepped before each new pin's reads").isNull();
                }
                System.out.println("arena: chain stepped before the reads at " + stepper.pins() + " blocks");
                Set<Long> pins = new HashSet<>(arena.view().scrapedAt().values());
                System.out.println("arena: start-up scraped " + f.d.pools().size() + " pools at " + pins.size() + " different blocks " + pins
                        + "; restarts=" + metrics.rescrapes.count());
                assertThat(pins.size()).as("pools scraped at successive blocks").isGreaterThan(1);
                for (int round = 0; round < 30; round++) {
                    f.step();
                    BlockHeader head = devnet.eth().latestHeader();
                    ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at " + head.number());
                    ScrapeResult chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS)).scrape(f.d.pools(),
                            BlockRef.hash(head.hash()), head.number());
                    List<String> diffs = new ArrayList<>();
                    for (PoolDescriptor p : f.d.pools()) {
                        arena.view().pools().get(p.id()).differences(chain.states().get(p.id()).snapshot()).forEach(x -> diffs.add(p.id() + " " + x));
                    }
                    assertThat(diffs).as("block %d", head.number()).isEmpty();
                }
            }
        }
    }

    /**
     * Before the first {@code eth_call} at a block not read at before: {@value #STEPS_PER_PIN} blocks mined and sent
     * by the feed (plus a moment for the arena's feed client to take them). Runs on the proxy's request thread; the
     * arena's reads at start-up come one request at a time. Not for a devnet with dynamic-fee V4 pools: the arena's
     * fee re-read at each replayed block would step the chain again, and the replay would not end.
     */
    private static final class StepPerPin implements RpcFault {
        private final ArenaFixture f;
        private final Set<String> pins = ConcurrentHashMap.newKeySet();
        /** Why a step failed (it runs on the proxy's thread, where an assertion would not fail the test); guarded by this. */
        String failure;

        StepPerPin(ArenaFixture f) {
            this.f = f;
        }

        @Override
        public String name() {
            return "chain stepped before a new pin's reads";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_call");
        }

        /** The blocks read at so far. */
        int pins() {
            return pins.size();
        }

        /** Synchronized: one step at a time, and the test waits for one in flight before it steps the chain itself. */
        @Override
        public synchronized Before before(RpcCall call, Random random) {
            if (failure != null || !pins.add(call.params().path(1).toString())) {
                return Before.FORWARD;
            }
            try {
                long mined = 0;
                for (int i = 0; i < STEPS_PER_PIN; i++) {
                    mined = f.step();
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (f.lastSentBlock() != mined) {
                    if (System.nanoTime() > deadline) {
                        failure = "the feed did not send block " + mined + " within 10 s: last_sent=" + f.lastSentBlock();
                        break;
                    }
                    Thread.sleep(5);
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (AssertionError e) {
                failure = e.getMessage();
            }
            return Before.FORWARD;
        }
    }
}
