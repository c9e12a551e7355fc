package io.poolstate.testkit;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.pool.V4PoolKey;
import io.poolstate.eth.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Whitelists of any size with the shape of mainnet's, for tests and harnesses of the whitelist's transport (no chain
 * behind them): a third each of V2, V3 and V4 pools over a few hundred tokens with 3–6 letter symbols, mainnet-like
 * fee tiers, V4 PoolIds that are the hashes of their PoolKeys (some on native ETH), so every pool passes
 * {@link PoolDescriptor#problem()}. The same seed gives the same list.
 */
public final class SyntheticPools {
    private static final int[][] TIERS = {{100, 1}, {500, 10}, {3000, 60}, {10000, 200}};
    private static final Address V2_FACTORY = Address.of("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f");
    private static final Address V3_FACTORY = Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984");
    private static final Address POOL_MANAGER = Address.of("0x000000000004444c5dc75cb358380d2e3de08a90");

    private SyntheticPools() {
    }

    /** {@code n} distinct pools. */
    public static List<PoolDescriptor> list(int n, long seed) {
        Random rnd = new Random(seed);
        List<Token> tokens = new ArrayList<>();
        tokens.add(new Token(Address.ZERO, 18, "ETH"));
        for (int i = 1; i < 400; i++) {
            byte[] a = new byte[20];
            rnd.nextBytes(a);
            String symbol = Long.toString(Math.abs(rnd.nextLong()), 36).substring(0, 3 + rnd.nextInt(4)).toUpperCase(java.util.Locale.ROOT);
            tokens.add(new Token(Address.wrap(a), rnd.nextInt(4) == 0 ? 6 : 18, symbol));
        }
        List<PoolDescriptor> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Token x = tokens.get(1 + rnd.nextInt(tokens.size() - 1));
            Token y = i % 3 == 2 && rnd.nextInt(5) == 0 ? tokens.get(0) : tokens.get(1 + rnd.nextInt(tokens.size() - 1));
            if (x.address().equals(y.address())) {
                y = tokens.get(x == tokens.get(1) ? 2 : 1);
            }
            Token t0 = x.address().compareTo(y.address()) < 0 ? x : y;
            Token t1 = t0 == x ? y : x;
            int[] tier = TIERS[rnd.nextInt(TIERS.length)];
            byte[] address = new byte[20];
            rnd.nextBytes(address);
            out.add(switch (i % 3) {
                case 0 -> new PoolDescriptor(PoolId.of(Address.wrap(address)), Protocol.UNISWAP_V2, t0, t1, V2_FACTORY, null, null, null);
                case 1 -> new PoolDescriptor(PoolId.of(Address.wrap(address)), Protocol.UNISWAP_V3, t0, t1, V3_FACTORY, tier[0], tier[1], null);
                default -> {
                    // distinct keys: the tick spacing carries the index (any spacing from 1 to 32767 is valid in V4)
                    int spacing = 1 + (i / 3) % 32_000;
                    int fee = tier[0] + (i / 3 / 32_000);
                    V4PoolKey key = new V4PoolKey(t0.address(), t1.address(), fee, spacing, Address.ZERO);
                    yield new PoolDescriptor(PoolId.of(key.id()), Protocol.UNISWAP_V4, t0, t1, POOL_MANAGER, fee, spacing, Address.ZERO);
                }
            });
        }
        return out;
    }
}
