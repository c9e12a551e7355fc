package io.poolstate.app.demo;

import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** One readable line per decoded event, amounts shown in whole tokens (display only; state keeps raw integers). */
final class EventFormatter {
    private final Deployment d;

    EventFormatter(Deployment d) {
        this.d = d;
    }

    String format(DecodedLog l, PoolDescriptor p) {
        String where = String.format("#%d tx%-2d log%-3d %-3s %-17s", l.position().blockNumber(), l.position().txIndex(), l.position().logIndex(),
                p.protocol().wireName().substring(8), pair(p));
        return where + " " + switch (l.event()) {
            case PoolEvent.V2Sync e -> String.format("Sync             reserves %s / %s", amt(e.reserve0(), p.token0()), amt(e.reserve1(), p.token1()));
            case PoolEvent.V2Swap e -> String.format("Swap             in %s %s, out %s %s", amt(e.amount0In(), p.token0()), amt(e.amount1In(), p.token1()),
                    amt(e.amount0Out(), p.token0()), amt(e.amount1Out(), p.token1()));
            case PoolEvent.V2Mint e -> String.format("Mint             +%s +%s", amt(e.amount0(), p.token0()), amt(e.amount1(), p.token1()));
            case PoolEvent.V2Burn e -> String.format("Burn             -%s -%s", amt(e.amount0(), p.token0()), amt(e.amount1(), p.token1()));
            case PoolEvent.V3Initialize e -> String.format("Initialize       tick %d", e.tick());
            case PoolEvent.V3Swap e -> String.format("Swap             %s %s  tick %d  liquidity %s", signed(e.amount0(), p.token0()),
                    signed(e.amount1(), p.token1()), e.tick(), e.liquidity());
            case PoolEvent.V3Mint e -> String.format("Mint             L+%s [%d, %d)", e.amount(), e.tickLower(), e.tickUpper());
            case PoolEvent.V3Burn e -> String.format("Burn             L-%s [%d, %d)", e.amount(), e.tickLower(), e.tickUpper());
            case PoolEvent.V3Collect e -> String.format("Collect          %s %s", amt(e.amount0(), p.token0()), amt(e.amount1(), p.token1()));
            case PoolEvent.V3Flash e -> String.format("Flash            borrowed %s %s, paid %s %s", amt(e.amount0(), p.token0()),
                    amt(e.amount1(), p.token1()), amt(e.paid0(), p.token0()), amt(e.paid1(), p.token1()));
            case PoolEvent.V4Initialize e -> String.format("Initialize       tick %d fee %d spacing %d", e.tick(), e.fee(), e.tickSpacing());
            case PoolEvent.V4ModifyLiquidity e -> String.format("ModifyLiquidity  L%s%s [%d, %d)", e.liquidityDelta().signum() >= 0 ? "+" : "",
                    e.liquidityDelta(), e.tickLower(), e.tickUpper());
            case PoolEvent.V4Swap e -> String.format("Swap             %s %s  tick %d  liquidity %s  fee %d", signed(e.amount0(), p.token0()),
                    signed(e.amount1(), p.token1()), e.tick(), e.liquidity(), e.fee());
            case PoolEvent.V4Donate e -> String.format("Donate           %s %s", amt(e.amount0(), p.token0()), amt(e.amount1(), p.token1()));
            case PoolEvent.V4ProtocolFeeUpdated e -> String.format("ProtocolFee      %d", e.protocolFee());
        };
    }

    private static String pair(PoolDescriptor p) {
        String s = sym(p.token0()) + "/" + sym(p.token1());
        return p.fee() == null ? s : s + " " + BigDecimal.valueOf(p.fee(), 4).stripTrailingZeros().toPlainString() + "%";
    }

    private static String sym(Token t) {
        return t.symbol() != null ? t.symbol() : t.address().toString().substring(0, 8);
    }

    private static String signed(BigInteger v, Token t) {
        return (v.signum() >= 0 ? "+" : "") + amt(v, t);
    }

    private static String amt(BigInteger raw, Token t) {
        int dec = t.decimals() == null ? 0 : t.decimals();
        BigDecimal v = new BigDecimal(raw, dec).round(new MathContext(6, RoundingMode.HALF_EVEN));
        return v.stripTrailingZeros().toPlainString() + " " + sym(t);
    }
}
