package io.poolstate.whitelist.token;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogRangeReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokens with the most ERC-20 {@code Transfer} logs over the last {@code blocks} blocks, read from the node
 * (ranges split when the node refuses them).
 */
public final class TopTransfersSource implements TokenSource {
    private static final Bytes32 TRANSFER = Bytes32.of("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

    private final EthClient eth;
    private final int blocks;
    private final int top;

    public TopTransfersSource(EthClient eth, int blocks, int top) {
        this.eth = eth;
        this.blocks = blocks;
        this.top = top;
    }

    @Override
    public String name() {
        return "top-transfers";
    }

    @Override
    public List<String> skipped() {
        return List.of();
    }

    @Override
    public List<TokenCandidate> tokens() {
        long head = eth.blockNumber();
        Map<Address, Integer> counts = new HashMap<>();
        for (Log l : new LogRangeReader(eth).read(Math.max(0, head - blocks + 1), head, List.of(), List.of(TRANSFER))) {
            if (l.topics().size() == 3) { // ERC-20 (ERC-721 transfers index the token id too)
                counts.merge(l.address(), 1, Integer::sum);
            }
        }
        List<Map.Entry<Address, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort((a, b) -> b.getValue() - a.getValue());
        List<TokenCandidate> out = new ArrayList<>();
        for (Map.Entry<Address, Integer> e : ranked.subList(0, Math.min(top, ranked.size()))) {
            out.add(new TokenCandidate(e.getKey(), null, "top transfers: " + e.getValue() + " Transfer logs in the last " + blocks + " blocks"));
        }
        return out;
    }
}
