package io.poolstate.whales.snapshot;

import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RpcException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every whale's ETH balance (Multicall3 {@code getEthBalance}, wei) and token balance ({@code balanceOf},
 * base units) at one block, pinned by hash, in Multicall3 batches of {@code batchSize} calls; all batches go
 * in as few JSON-RPC requests as the client's batching allows. A failed request is retried; a call that fails
 * inside a multicall fails the snapshot. Thread-safe.
 */
public final class BalanceSnapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(BalanceSnapshotter.class);
    private static final byte[] BALANCE_OF = {(byte) 0x70, (byte) 0xa0, (byte) 0x82, (byte) 0x31};

    /** One address's balances: {@code asset} is the token balance, or the ETH balance when the asset is ETH. */
    public record Balances(Address address, BigInteger asset, BigInteger eth) {
    }

    /** The balances and the JSON-RPC requests it took. */
    public record Result(List<Balances> balances, int rpcRequests) {
    }

    /** Why a snapshot could not be completed. */
    public static final class SnapshotFailedException extends Exception {
        public SnapshotFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Multicall3 multicall;
    private final Address token;
    private final int attempts;

    /**
     * @param token the ERC-20, or null when the asset is ETH
     * @param batchSize calls per multicall
     * @param attempts tries per request (at least 1)
     */
    public BalanceSnapshotter(EthClient eth, Address multicallAddress, Address token, int batchSize, int attempts) {
        this.multicall = new Multicall3(eth, multicallAddress, batchSize, 64);
        this.token = token;
        this.attempts = Math.max(1, attempts);
    }

    /** The balances of {@code addresses}, in order, at {@code block}. */
    public Result take(List<Address> addresses, BlockHeader block) throws SnapshotFailedException {
        List<Multicall3.Call> calls = new ArrayList<>(addresses.size() * 2);
        for (Address a : addresses) {
            calls.add(multicall.ethBalanceCall(a));
            if (token != null) {
                calls.add(new Multicall3.Call(token, balanceOf(a)));
            }
        }
        int requests = 0;
        List<Multicall3.Result> results = null;
        for (int attempt = 1; results == null; attempt++) {
            requests += multicall.requestsFor(calls.size());
            try {
                results = multicall.aggregate(calls, BlockRef.hash(block.hash()));
            } catch (RpcException e) {
                if (attempt >= attempts || Thread.currentThread().isInterrupted()) {
                    throw new SnapshotFailedException("balance multicall failed after " + attempt + " attempts: block=" + block.number() + " " + e.getMessage(), e);
                }
                LOG.warn("whale balance multicall failed, retrying: block={} attempt={} error={}", block.number(), attempt, e.getMessage());
            }
        }
        int per = token == null ? 1 : 2;
        List<Balances> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            BigInteger eth = value(results.get(i * per), addresses.get(i), "getEthBalance", block);
            BigInteger asset = token == null ? eth : value(results.get(i * per + 1), addresses.get(i), "balanceOf", block);
            out.add(new Balances(addresses.get(i), asset, eth));
        }
        return new Result(out, requests);
    }

    private static BigInteger value(Multicall3.Result r, Address who, String call, BlockHeader block) throws SnapshotFailedException {
        if (!r.success() || r.returnData().length < 32) {
            throw new SnapshotFailedException(call + " failed inside the multicall: address=" + who + " block=" + block.number()
                    + " returnBytes=" + r.returnData().length, null);
        }
        return new BigInteger(1, java.util.Arrays.copyOfRange(r.returnData(), 0, 32));
    }

    private static byte[] balanceOf(Address a) {
        byte[] data = new byte[36];
        System.arraycopy(BALANCE_OF, 0, data, 0, 4);
        System.arraycopy(a.toBytes(), 0, data, 16, 20);
        return data;
    }
}
