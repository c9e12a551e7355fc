package io.poolstate.arena.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.http.BadRequestException;
import io.poolstate.http.QueryString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code /v1/pools} pages: every pool exactly once across the pages, in id order, filters applied, bad parameters refused. */
class PoolListEndpointTest {
    private static final Token[] TOKENS = {token(0xa0), token(0xb0), token(0xc0), token(0xd0)};

    private static Token token(int n) {
        return new Token(Address.of(BigInteger.valueOf(n)), 18, "T" + n);
    }

    private static ArenaView view(int pools, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<PoolId, PoolSnapshot> m = new HashMap<>();
        for (int i = 0; i < pools; i++) {
            int a = r.nextInt(TOKENS.length);
            int b = (a + 1 + r.nextInt(TOKENS.length - 1)) % TOKENS.length;
            Token t0 = TOKENS[Math.min(a, b)];
            Token t1 = TOKENS[Math.max(a, b)];
            PoolId id = PoolId.of(Address.of(new BigInteger(159, new java.util.Random(r.nextLong()))));
            PoolDescriptor d = new PoolDescriptor(id, Protocol.UNISWAP_V2, t0, t1, Address.of(BigInteger.TEN), null, null, null);
            m.put(id, new PoolSnapshot.V2(d, BigInteger.ONE, BigInteger.TWO));
        }
        return new ArenaView(1, ArenaMode.LIVE, 5, Bytes32.ZERO, m, Map.of(), Map.of(), pools, 0, 0, 0);
    }

    private static List<PoolId> walk(ArenaView v, String query) {
        List<PoolId> seen = new ArrayList<>();
        String after = "";
        while (true) {
            PoolListEndpoint.Page page = PoolListEndpoint.page(v, PoolListEndpoint.Query.parse(QueryString.parse(query + after)));
            page.pools().forEach(p -> seen.add(p.descriptor().id()));
            if (page.next() == null) {
                return seen;
            }
            assertThat(page.next()).isEqualTo(seen.get(seen.size() - 1));
            after = "&after=" + page.next();
        }
    }

    @Test
    void pagesCoverEveryMatchingPoolOnceInIdOrder() {
        long seed = new SplittableRandom().nextLong();
        ArenaView v = view(2_345, seed);
        List<PoolId> all = v.pools().keySet().stream().sorted().toList();
        assertThat(walk(v, "limit=100")).as("seed=" + seed).isEqualTo(all);
        assertThat(walk(v, "limit=1000")).as("seed=" + seed).isEqualTo(all);
        Address t = TOKENS[2].address();
        List<PoolId> withToken = v.pools().values().stream().map(PoolSnapshot::descriptor)
                .filter(d -> d.token0().address().equals(t) || d.token1().address().equals(t)).map(PoolDescriptor::id).sorted().toList();
        assertThat(walk(v, "limit=37&token=" + t)).as("seed=" + seed).isEqualTo(withToken);
        PoolListEndpoint.Page first = PoolListEndpoint.page(v, PoolListEndpoint.Query.parse(QueryString.parse("token=" + t)));
        assertThat(first.matching()).isEqualTo(withToken.size());
        assertThat(first.pools()).hasSize(PoolListEndpoint.DEFAULT_LIMIT);
        assertThat(walk(v, "protocol=uniswap_v3,v4")).isEmpty();
    }

    @Test
    void badParametersAreRefusedWithTheValue() {
        assertThatThrownBy(() -> PoolListEndpoint.Query.parse(QueryString.parse("limit=1001"))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("limit=1001");
        assertThatThrownBy(() -> PoolListEndpoint.Query.parse(QueryString.parse("protocol=v5"))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("protocol=v5");
        assertThatThrownBy(() -> PoolListEndpoint.Query.parse(QueryString.parse("token=0x12"))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("token=0x12");
        assertThatThrownBy(() -> PoolListEndpoint.Query.parse(QueryString.parse("after=zz"))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("after=zz");
    }
}
