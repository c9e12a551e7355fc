package io.poolstate.app.networks;

import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.pool.PoolAddresses;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.whitelist.filter.TokenMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./poolstate networks check --network NAME --rpc URL}: checks a preset against a node: the chain id, code at
 * every contract, each token's symbol and decimals, and the init code hashes (the factories' WETH/stable pools must
 * sit at the CREATE2 address the hash gives). Prints one line per check; exits 1 when any fails.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check a network preset against a node (chain id, code, tokens, init code hashes)")
public final class NetworksCheckCommand implements Callable<Integer> {
    private static final byte[] GET_PAIR = selector("getPair(address,address)");
    private static final byte[] GET_POOL = selector("getPool(address,address,uint24)");

    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    private int failures;

    @Override
    public Integer call() {
        NetworkPreset p = network.preset();
        try (EthClient eth = EthClient.open(rpc.url(network, false))) {
            long chainId = eth.chainId();
            line(chainId == p.chainId(), "chain_id", "node " + chainId + ", preset " + p.chainId());
            code(eth, "v2_factory", p.v2Factory());
            code(eth, "v3_factory", p.v3Factory());
            code(eth, "pool_manager", p.poolManager());
            code(eth, "multicall3", p.multicall3());
            List<Token> tokens = p.baseTokens();
            Set<Address> addresses = new LinkedHashSet<>();
            tokens.forEach(t -> addresses.add(t.address()));
            Map<Address, Token> onChain = TokenMetadata.read(eth, addresses);
            for (Token t : tokens) {
                Token c = onChain.get(t.address());
                boolean ok = c != null && t.decimals().equals(c.decimals()) && t.symbol().equalsIgnoreCase(String.valueOf(c.symbol()));
                line(ok, "token " + t.symbol(), t.address().toChecksumString() + " on chain: symbol=" + (c == null ? null : c.symbol())
                        + " decimals=" + (c == null ? null : c.decimals()));
            }
            if (p.weth() != null) {
                initCodeHashes(eth, p);
            }
        }
        System.out.println(failures == 0 ? "network " + p.name() + ": every check passed" : "network " + p.name() + ": " + failures + " check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    /** Checks each hash on the first pool the factory has for a pair of the preset's base tokens (WETH, stables). */
    private void initCodeHashes(EthClient eth, NetworkPreset p) {
        List<Token> bases = p.baseTokens();
        List<Token[]> pairs = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            for (int j = i + 1; j < bases.size(); j++) {
                pairs.add(new Token[] {bases.get(i), bases.get(j)});
            }
        }
        if (p.v2Factory() != null && p.v2PairInitCodeHash() != null) {
            boolean checked = false;
            for (Token[] pair : pairs) {
                Address[] t = sorted(pair[0].address(), pair[1].address());
                Address found = address(eth, p.v2Factory(), call(GET_PAIR, t[0], t[1], -1));
                if (!found.isZero()) {
                    line(found.equals(PoolAddresses.v2Pair(p.v2Factory(), t[0], t[1], p.v2PairInitCodeHash())), "v2_pair_init_code_hash",
                            pair[0].symbol() + "/" + pair[1].symbol() + " pair " + found.toChecksumString() + " is at the CREATE2 address of the hash");
                    checked = true;
                    break;
                }
            }
            if (!checked) {
                System.out.println("skip v2_pair_init_code_hash: the factory has no pair of WETH and the stables to check it with");
            }
        }
        if (p.v3Factory() != null && p.v3PoolInitCodeHash() != null) {
            boolean checked = false;
            for (int k = 0; k < pairs.size() && !checked; k++) {
                Token[] pair = pairs.get(k);
                Address[] t = sorted(pair[0].address(), pair[1].address());
                for (int fee : new int[] {500, 3000, 100, 10000}) {
                    Address found = address(eth, p.v3Factory(), call(GET_POOL, t[0], t[1], fee));
                    if (!found.isZero()) {
                        line(found.equals(PoolAddresses.v3Pool(p.v3Factory(), t[0], t[1], fee, p.v3PoolInitCodeHash())), "v3_pool_init_code_hash",
                                pair[0].symbol() + "/" + pair[1].symbol() + " " + fee + " pool " + found.toChecksumString()
                                        + " is at the CREATE2 address of the hash");
                        checked = true;
                        break;
                    }
                }
            }
            if (!checked) {
                System.out.println("skip v3_pool_init_code_hash: the factory has no pool of WETH and the stables to check it with");
            }
        }
    }

    private void code(EthClient eth, String field, Address a) {
        if (a == null) {
            System.out.println("skip " + field + ": not in the preset");
            return;
        }
        line(eth.code(a, BlockRef.latest()).length > 0, field, a.toChecksumString() + " has code");
    }

    private void line(boolean ok, String what, String detail) {
        if (!ok) {
            failures++;
        }
        System.out.printf("%-4s %s: %s%n", ok ? "ok" : "FAIL", what, detail);
    }

    private static Address address(EthClient eth, Address to, byte[] data) {
        byte[] r = eth.call(to, data, BlockRef.latest());
        return r.length < 32 ? Address.ZERO : Address.fromWord(r, 0);
    }

    private static Address[] sorted(Address a, Address b) {
        return a.compareTo(b) < 0 ? new Address[] {a, b} : new Address[] {b, a};
    }

    private static byte[] selector(String signature) {
        return java.util.Arrays.copyOf(io.poolstate.eth.Keccak256.hash(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 4);
    }

    /** {@code selector(a, b)}, or {@code selector(a, b, fee)} when {@code fee >= 0}: ABI words, addresses and uint24 right-aligned. */
    private static byte[] call(byte[] selector, Address a, Address b, int fee) {
        byte[] data = new byte[4 + 32 * (fee >= 0 ? 3 : 2)];
        System.arraycopy(selector, 0, data, 0, 4);
        a.copyTo(data, 4 + 12);
        b.copyTo(data, 36 + 12);
        if (fee >= 0) {
            data[68 + 29] = (byte) (fee >>> 16);
            data[68 + 30] = (byte) (fee >>> 8);
            data[68 + 31] = (byte) fee;
        }
        return data;
    }
}
