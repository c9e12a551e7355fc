package io.poolstate.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devnet with deep ticks is deployed once, saved and restored: the written ticks are there, consistent enough for
 * QuoterV2 to swap across all of them both ways (its amounts equal the engine's), and a second start loads the
 * saved state without deploying, at the same block with the same pools.
 */
class DevnetStateCacheIntegrationTest {
    @Test
    void deepTicksAreSavedOnceAndRestored(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        DevnetDeployer.Options options = new DevnetDeployer.Options(6, 1, 1, false, 8, 20);
        DevnetStateCache cache = new DevnetStateCache(dir.resolve("cache"));
        int port = IntegrationTests.port(getClass());
        ScrapeResult first;
        long block;
        List<PoolDescriptor> pools;
        try (Devnet devnet = Devnet.start(port, dir.resolve("a"), options, cache)) {
            Deployment d = devnet.deployment();
            pools = d.pools();
            block = devnet.eth().blockNumber();
            first = scrape(devnet, d, block);
            for (PoolDescriptor p : d.pools()) {
                if (p.protocol() != Protocol.UNISWAP_V2) {
                    assertThat(((ConcentratedPoolState) first.states().get(p.id())).ticks().size()).as(p.id().toString()).isGreaterThanOrEqualTo(8);
                }
            }
            for (PoolDescriptor p : d.pools(Protocol.UNISWAP_V3)) {
                for (boolean zeroForOne : new boolean[] {true, false}) {
                    BigInteger amount = BigInteger.TEN.pow(30);
                    var in = zeroForOne ? p.token0() : p.token1();
                    var out = zeroForOne ? p.token1() : p.token0();
                    byte[] ret = devnet.eth().call(d.contracts().quoterV2(), Abi.call("quoteExactInputSingle((address,address,uint256,uint24,uint160))",
                            Tuple.from(Abi.addr(in.address()), Abi.addr(out.address()), amount, p.fee(), BigInteger.ZERO)), BlockRef.number(block));
                    Tuple t = Abi.decode("quoteExactInputSingle((address,address,uint256,uint24,uint160))", "(uint256,uint160,uint32,uint256)", ret);
                    var ours = ConcentratedSwap.quote((ConcentratedPoolState) first.states().get(p.id()), zeroForOne, true, amount, null);
                    assertThat(ours.amountOut()).as("%s zeroForOne=%s across every tick", p.id(), zeroForOne).isEqualTo((BigInteger) t.get(0));
                    assertThat((long) t.get(2)).isGreaterThanOrEqualTo(4);
                }
            }
        }
        Path entry = cache.entry(options, io.poolstate.devnet.npm.NpmPackages.locate());
        FileTime saved = Files.getLastModifiedTime(entry.resolve(DevnetStateCache.STATE));
        try (Devnet devnet = Devnet.start(port + 1, dir.resolve("b"), options, cache)) {
            assertThat(Files.getLastModifiedTime(entry.resolve(DevnetStateCache.STATE))).as("loaded, not deployed again").isEqualTo(saved);
            assertThat(devnet.eth().blockNumber()).isEqualTo(block);
            assertThat(devnet.deployment().pools()).isEqualTo(pools);
            ScrapeResult again = scrape(devnet, devnet.deployment(), block);
            assertThat(describe(again)).isEqualTo(describe(first));
        }
    }

    private static ScrapeResult scrape(Devnet devnet, Deployment d, long block) {
        devnet.chain().mineEmpty(); // the block we read at has a successor
        ScrapeResult r = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(d.pools(), block);
        assertThat(r.failures()).isEmpty();
        return r;
    }

    private static List<String> describe(ScrapeResult r) {
        List<String> out = new ArrayList<>();
        r.states().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> out.add(e.getKey() + " " + switch (e.getValue()) {
            case ConcentratedPoolState c -> c.sqrtPriceX96() + " " + c.tick() + " " + c.liquidity() + " " + c.ticks().size();
            case io.poolstate.dex.state.V2PoolState v -> v.reserve0() + " " + v.reserve1();
        }));
        return out;
    }
}
