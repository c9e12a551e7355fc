package io.poolstate.arena.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.http.QueryString;
import java.math.BigInteger;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The quote endpoint's decisions that need no node: native answers, refusals naming the hook, and bad requests. */
class QuoteEndpointTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 18, "B");
    private static final Address MANAGER = Address.of("0x00000000000000000000000000000000000000fe");
    /** beforeSwap | beforeSwapReturnDelta: a custom curve. */
    private static final Address CURVE_HOOK = Address.of("0x0000000000000000000000000000000000000088");
    /** afterInitialize only: a dynamic-fee hook that cannot touch a swap. */
    private static final Address FEE_HOOK = Address.of("0x0000000000000000000000000000000000001000");
    private static final ArenaView VIEW = new ArenaView(1, ArenaMode.LIVE, 7, Bytes32.of(BigInteger.valueOf(7)), Map.of(), Map.of(), Map.of(), 0, 0, 0, 0);

    private static PoolSnapshot.Concentrated v4(Address hooks, int keyFee, int lpFee) {
        PoolDescriptor d = new PoolDescriptor(PoolId.of(Bytes32.of(BigInteger.valueOf(hooks.toBigInteger().longValue() + keyFee))), Protocol.UNISWAP_V4,
                T0, T1, MANAGER, keyFee, 60, hooks);
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        BigInteger l = BigInteger.TEN.pow(24);
        ticks.put(-887220, new TickInfo(l, l));
        ticks.put(887220, new TickInfo(l, l.negate()));
        return new PoolSnapshot.Concentrated(d, BigInteger.ONE.shiftLeft(96), 0, l, lpFee, 0, ticks);
    }

    private static QuoteEndpoint.Answer ask(PoolSnapshot p, String query) {
        return new QuoteEndpoint(QuoteSimulation.OFF, new ArenaMetrics()).answer(p, VIEW, QueryString.parse(query));
    }

    @Test
    void refusedPoolAnswers422NamingTheHookAndPermissions() {
        QuoteEndpoint.Answer a = ask(v4(CURVE_HOOK, 3000, 3000), "zero_for_one=true&amount_in=1000");
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.body().path("hooks").asText()).isEqualTo(CURVE_HOOK.toString());
        assertThat(a.body().path("quote_support").asText()).isEqualTo("refused");
        assertThat(a.body().path("refused_permissions").toString()).isEqualTo("[\"beforeSwap\",\"beforeSwapReturnDelta\"]");
        assertThat(a.body().path("error").asText()).contains(CURVE_HOOK.toString()).contains("beforeSwap").contains("simulate=node");
        assertThat(a.body().path("block_number").asLong()).isEqualTo(7);
    }

    @Test
    void exactPoolIsQuotedNativelyWithTheLpFeeInForce() {
        QuoteEndpoint.Answer a = ask(v4(FEE_HOOK, LpFee.DYNAMIC_FEE_FLAG, 12_345), "zero_for_one=true&amount_in=1000000");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().path("source").asText()).isEqualTo("native");
        assertThat(a.body().path("lp_fee").asInt()).isEqualTo(12_345);
        assertThat(a.body().path("complete").asBoolean()).isTrue();
    }

    @Test
    void nodeSimulationRequestsThatCannotBeAnswered() {
        PoolSnapshot refused = v4(CURVE_HOOK, 3000, 3000);
        assertThat(ask(refused, "zero_for_one=true&amount_in=1000&simulate=node").status()).as("no V4Quoter configured").isEqualTo(501);
        QuoteEndpoint.Answer limit = ask(refused, "zero_for_one=true&amount_in=1000&simulate=node&sqrt_price_limit_x96=4295128740");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.body().path("error").asText()).contains("sqrt_price_limit_x96");
        assertThat(ask(refused, "zero_for_one=true&amount_in=" + BigInteger.ONE.shiftLeft(127) + "&simulate=node").status()).isEqualTo(400);
        assertThat(ask(refused, "zero_for_one=true&amount_in=1000&simulate=chain").status()).isEqualTo(400);
        PoolSnapshot.V2 v2 = new PoolSnapshot.V2(new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000c2")), Protocol.UNISWAP_V2,
                T0, T1, Address.ZERO, null, null, null), BigInteger.TEN.pow(20), BigInteger.TEN.pow(20));
        assertThat(ask(v2, "zero_for_one=true&amount_in=1000&simulate=node").status()).as("V4Quoter quotes V4 pools").isEqualTo(400);
        assertThat(ask(v2, "zero_for_one=true&amount_in=1000").body().path("source").asText()).isEqualTo("native");
        assertThat(ask(refused, "zero_for_one=true&amount_in=1000&simulate=native").status()).as("the pool math insisted on").isEqualTo(422);
    }

    @Test
    void poolViewNamesHooksPermissionsAndSupport() {
        var n = QuoteEndpoint.support(new ObjectMapper().createObjectNode(), v4(FEE_HOOK, LpFee.DYNAMIC_FEE_FLAG, 0).descriptor());
        assertThat(n.path("hook_permissions").toString()).isEqualTo("[\"afterInitialize\"]");
        assertThat(n.path("dynamic_fee").asBoolean()).isTrue();
        assertThat(n.path("quote_support").asText()).isEqualTo("exact");
        assertThat(n.path("quote_support_reason").asText()).contains("dynamic LP fee");
        assertThat(List.of(n.path("hooks").asText())).containsExactly(FEE_HOOK.toString());
    }
}
