package io.poolstate.app.demo;

import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.dex.state.PoolSnapshot;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;

/** A terminal view of the arena's state: one line per pool with its price (display only) and depth. */
final class ArenaTable {
    private ArenaTable() {
    }

    static void print(ArenaView v, PrintStream out, int maxPools) {
        out.printf("== arena @ block %d %s… (%s, %d pools, %d blocks and %d events applied)%n", v.blockNumber(),
                v.blockHash().toString().substring(0, 10), v.mode().wireName(), v.pools().size(), v.blocksApplied(), v.eventsApplied());
        for (io.poolstate.dex.pool.Protocol protocol : io.poolstate.dex.pool.Protocol.values()) {
            v.pools().values().stream().filter(p -> p.descriptor().protocol() == protocol).sorted(Comparator.comparing(p -> p.descriptor().id()))
                    .limit(maxPools / 3).forEach(p -> out.println("   " + line(p)));
        }
        v.pools().values().stream().filter(p -> p instanceof PoolSnapshot.Concentrated c && c.isV4() && !p.descriptor().hooks().isZero())
                .sorted(Comparator.comparing(p -> p.descriptor().id())).limit(maxPools).forEach(p -> out.println("   " + hooked((PoolSnapshot.Concentrated) p)));
    }

    /** A hooked V4 pool: its permissions, the LP fee in force and whether quotes are exact or refused. */
    private static String hooked(PoolSnapshot.Concentrated c) {
        PoolDescriptor d = c.descriptor();
        return String.format("v4  %-18s hook %s %s  lp fee %s%%  quotes %s", sym(d.token0()) + "/" + sym(d.token1()), d.hooks().toString().substring(0, 10),
                HookFlags.of(d.hooks()).names(), BigDecimal.valueOf(c.fee(), 4).stripTrailingZeros().toPlainString(), QuoteSupport.of(d).wireName());
    }

    private static String line(PoolSnapshot p) {
        PoolDescriptor d = p.descriptor();
        String pair = String.format("%-3s %-18s", d.protocol().wireName().substring(8), sym(d.token0()) + "/" + sym(d.token1())
                + (d.fee() == null ? "" : LpFee.isDynamic(d.fee()) ? " dyn" : " " + BigDecimal.valueOf(d.fee(), 4).stripTrailingZeros().toPlainString() + "%"));
        return switch (p) {
            case PoolSnapshot.V2 v2 -> String.format("%s reserves %s / %s", pair, human(v2.reserve0(), d.token0()), human(v2.reserve1(), d.token1()));
            case PoolSnapshot.Concentrated c -> String.format("%s tick %7d  liquidity %-24s initialised ticks %d", pair, c.tick(), c.liquidity(), c.tickTable().size());
        };
    }

    private static String sym(Token t) {
        return t.symbol() == null ? t.address().toString().substring(0, 8) : t.symbol();
    }

    private static String human(java.math.BigInteger raw, Token t) {
        return new BigDecimal(raw, t.decimals() == null ? 0 : t.decimals()).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
