package io.poolstate.whitelist.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.eth.multicall.Multicall3;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liquidity filter's depth stage reads only the ticks near the price ({@link PoolScraper#scrapeNear}): on a devnet
 * whose V3/V4 pools have 50–500 initialised ticks spread far beyond a few percent of the price, the depth of every
 * pool from that read equals the depth from the complete scrape, to the unit, for several price moves; the near read
 * holds exactly the complete state's ticks of the words it covers, and leaves out ticks further away.
 */
class DepthScrapeIntegrationTest {
    @Test
    void depthFromTheTicksNearThePriceEqualsDepthFromEveryTick(@TempDir Path dir) {
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(12, 6, 3, false, 50, 500))) {
            List<PoolDescriptor> pools = devnet.deployment().pools().stream().filter(p -> p.protocol() != Protocol.UNISWAP_V2).toList();
            PoolScraper scraper = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT);
            long block = devnet.eth().blockNumber();
            ScrapeResult all = scraper.scrape(pools, block);
            assertThat(all.failures()).isEmpty();
            int leftOut = 0;
            for (double percent : new double[] {0.5, 2, 10, 50}) {
                int radius = LiquidityFilter.depthTickRadius(percent);
                ScrapeResult near = scraper.scrapeNear(pools, block, radius);
                assertThat(near.failures()).isEmpty();
                LiquidityFilter filter = new LiquidityFilter(scraper, new LiquidityFilter.Thresholds(BigDecimal.ONE, BigDecimal.ONE, percent));
                for (PoolDescriptor p : pools) {
                    ConcentratedPoolState whole = (ConcentratedPoolState) all.states().get(p.id());
                    ConcentratedPoolState part = (ConcentratedPoolState) near.states().get(p.id());
                    Map<Integer, ?> partTicks = part.ticks();
                    assertThat(whole.ticks()).as("pool %s", p.id()).containsAllEntriesOf(part.ticks());
                    int spacing = p.tickSpacing();
                    long lo = Math.floorDiv(Math.floorDiv(whole.tick() - radius, spacing), 256);
                    long hi = Math.floorDiv(Math.floorDiv(whole.tick() + radius, spacing), 256);
                    whole.ticks().keySet().stream().filter(t -> {
                        long w = Math.floorDiv(Math.floorDiv(t, spacing), 256);
                        return w >= lo && w <= hi;
                    }).forEach(t -> assertThat(partTicks).as("pool %s tick %d within the words read", p.id(), t).containsKey(t));
                    leftOut += whole.ticks().size() - part.ticks().size();
                    assertThat(filter.depthUsd(part, p, BigDecimal.ONE, BigDecimal.ONE)).as("pool %s at %s %%", p.id(), percent)
                            .isEqualTo(filter.depthUsd(whole, p, BigDecimal.ONE, BigDecimal.ONE));
                }
            }
            assertThat(leftOut).as("ticks beyond the move are not read").isPositive();
        }
    }

    @Test
    void radiusCoversTheLargerMoveOfTheTwoDirections() {
        // 2 %: up log(1.02)/log(1.0001) = 198.03 ticks, down -log(0.98)/log(1.0001) = 202.03 ticks
        assertThat(LiquidityFilter.depthTickRadius(2)).isEqualTo(205);
        assertThat(LiquidityFilter.depthTickRadius(100)).isEqualTo(-1);
    }
}
