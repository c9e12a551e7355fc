package io.poolstate.whitelist.filter;

import com.esaulpaugh.headlong.abi.Function;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads ERC-20 {@code decimals()} and {@code symbol()} (string or bytes32) through Multicall3; native ETH is 18 "ETH". */
public final class TokenMetadata {
    private static final Function DECIMALS = Function.parse("decimals()", "(uint8)");
    private static final Function SYMBOL = Function.parse("symbol()", "(string)");

    private TokenMetadata() {
    }

    public static Map<Address, Token> read(EthClient eth, Set<Address> tokens) {
        List<Address> list = new ArrayList<>(tokens);
        list.remove(Address.ZERO);
        List<Multicall3.Call> calls = new ArrayList<>();
        for (Address a : list) {
            calls.add(new Multicall3.Call(a, DECIMALS.encodeCall(com.esaulpaugh.headlong.abi.Tuple.EMPTY).array()));
            calls.add(new Multicall3.Call(a, SYMBOL.encodeCall(com.esaulpaugh.headlong.abi.Tuple.EMPTY).array()));
        }
        List<Multicall3.Result> r = new Multicall3(eth).aggregate(calls, BlockRef.latest());
        Map<Address, Token> out = new HashMap<>();
        if (tokens.contains(Address.ZERO)) {
            out.put(Address.ZERO, new Token(Address.ZERO, 18, "ETH"));
        }
        for (int i = 0; i < list.size(); i++) {
            Multicall3.Result d = r.get(2 * i);
            Multicall3.Result s = r.get(2 * i + 1);
            Integer decimals = d.success() && d.returnData().length >= 32 ? Integer.valueOf(d.returnData()[31] & 0xff) : null;
            out.put(list.get(i), new Token(list.get(i), decimals, s.success() ? symbol(s.returnData()) : null));
        }
        return out;
    }

    private static String symbol(byte[] data) {
        try {
            return SYMBOL.decodeReturn(data).get(0);
        } catch (RuntimeException e) {
            if (data.length == 32) { // old tokens return bytes32
                int n = 0;
                while (n < 32 && data[n] != 0) {
                    n++;
                }
                return new String(data, 0, n, StandardCharsets.US_ASCII);
            }
            return null;
        }
    }
}
