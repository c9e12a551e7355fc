package io.poolstate.arena.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.quote.V2Swap;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.dex.v4.V4NodeQuote;
import io.poolstate.dex.v4.V4QuoterClient;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.http.ApiServer;
import io.poolstate.http.QueryString;
import java.math.BigInteger;

/**
 * {@code GET /v1/pools/{id}/quote}: a swap quoted from one {@link ArenaView}, exact or refused, never guessed.
 *
 * <ul>
 *   <li>A pool {@link QuoteSupport} calls exact is quoted by the pool math ({@link ConcentratedSwap}, {@link V2Swap}) on
 *   the served state: {@code "source": "native"}.</li>
 *   <li>A V4 pool whose hook can change a swap's amounts ({@link QuoteSupport.Refused}) answers 422 naming the hook,
 *   its permissions and the ones that make the math unprovable.</li>
 *   <li>{@code simulate=node} (or {@link QuoteSimulation#refusedOnNode()} for refused pools) asks V4Quoter on the node at
 *   the served block's hash: {@code "source": "node"}; a swap it reverts answers 422 with the decoded reason
 *   ({@code NotEnoughLiquidity} when the pool cannot fill the amount). V4Quoter takes no price limit, so
 *   {@code sqrt_price_limit_x96} with it is a 400. {@code simulate=native} insists on the pool math.</li>
 * </ul>
 *
 * <p>Thread-safe (stateless; the node client is safe for concurrent use); runs on the server's virtual threads.
 */
final class QuoteEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code type(int128).max}: V4Quoter casts the amount to int128. */
    private static final BigInteger INT128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, ObjectNode body) {
    }

    /** A request's parameters, validated. */
    private record Params(boolean zeroForOne, boolean exactInput, BigInteger amount, BigInteger limit, String simulate) {
    }

    private final QuoteSimulation simulation;
    private final ArenaMetrics metrics;

    QuoteEndpoint(QuoteSimulation simulation, ArenaMetrics metrics) {
        this.simulation = simulation;
        this.metrics = metrics;
    }

    /** Quotes on pool {@code p} of view {@code v} with the query's parameters. */
    Answer answer(PoolSnapshot p, ArenaView v, QueryString query) {
        Params q;
        try {
            q = params(query);
        } catch (IllegalArgumentException e) {
            return new Answer(400, error(e.getMessage()));
        }
        PoolDescriptor d = p.descriptor();
        QuoteSupport support = QuoteSupport.of(d);
        boolean node = "node".equals(q.simulate()) || q.simulate() == null && support instanceof QuoteSupport.Refused && simulation.refusedOnNode();
        if (node) {
            return node(d, v, q);
        }
        if (support instanceof QuoteSupport.Refused r) {
            metrics.quotesRefused.increment();
            return new Answer(422, refused(d, r, v));
        }
        return nativeQuote(p, v, q);
    }

    private Answer nativeQuote(PoolSnapshot p, ArenaView v, Params q) {
        try {
            SwapQuote s = switch (p) {
                case PoolSnapshot.V2 v2 -> V2Swap.UNISWAP.quote(v2.reserve0(), v2.reserve1(), q.zeroForOne(), q.exactInput(), q.amount());
                case PoolSnapshot.Concentrated c -> ConcentratedSwap.quote(c, q.zeroForOne(), q.exactInput(), q.amount(), q.limit());
            };
            metrics.quotesNative.increment();
            ObjectNode n = JSON.createObjectNode();
            n.put("amount_in", s.amountIn().toString());
            n.put("amount_out", s.amountOut().toString());
            if (s.sqrtPriceX96After() != null) {
                n.put("sqrt_price_x96_after", s.sqrtPriceX96After().toString());
                n.put("tick_after", s.tickAfter());
                n.put("ticks_crossed", s.ticksCrossed());
            }
            n.put("complete", s.complete());
            if (p instanceof PoolSnapshot.Concentrated c && c.isV4()) {
                n.put("lp_fee", c.fee());
            }
            n.put("source", "native");
            return new Answer(200, block(n, v));
        } catch (MathRevert e) {
            return new Answer(422, block(error("the pool would revert: " + e.getMessage()).put("source", "native"), v));
        }
    }

    private Answer node(PoolDescriptor d, ArenaView v, Params q) {
        if (d.protocol() != Protocol.UNISWAP_V4) {
            return new Answer(400, error("simulate=node quotes V4 pools (V4Quoter); pool " + d.id() + " is " + d.protocol().wireName()));
        }
        if (q.limit() != null) {
            return new Answer(400, error("sqrt_price_limit_x96 cannot be used with simulate=node: V4Quoter takes no price limit"));
        }
        if (q.amount().compareTo(INT128_MAX) > 0) {
            return new Answer(400, error((q.exactInput() ? "amount_in" : "amount_out") + " must be at most 2^127-1 with simulate=node"
                    + " (V4Quoter casts it to int128): value=" + q.amount()));
        }
        if (!simulation.enabled()) {
            return new Answer(501, error("simulate=node needs a V4Quoter: start the arena with --v4-quoter ADDRESS"));
        }
        if (!d.factory().equals(simulation.poolManager())) {
            return new Answer(400, error("V4Quoter " + simulation.quoter().quoter() + " quotes pools of PoolManager " + simulation.poolManager()
                    + "; pool " + d.id() + " is in PoolManager " + d.factory()));
        }
        V4NodeQuote answer;
        try {
            answer = simulation.quoter().quote(new V4QuoterClient.Request(d, q.zeroForOne(), q.exactInput(), q.amount()), BlockRef.hash(v.blockHash()));
        } catch (RpcException e) {
            return new Answer(502, block(error("V4Quoter call at block " + v.blockNumber() + " failed: " + e.getMessage()).put("source", "node"), v));
        }
        metrics.quotesNode.increment();
        return switch (answer) {
            case V4NodeQuote.Quoted ok -> {
                ObjectNode n = JSON.createObjectNode();
                n.put("amount_in", ok.amountIn().toString());
                n.put("amount_out", ok.amountOut().toString());
                n.put("complete", true);
                n.put("gas_estimate", ok.gasEstimate().toString());
                n.put("source", "node");
                n.put("quoter", simulation.quoter().quoter().toString());
                yield new Answer(200, block(n, v));
            }
            case V4NodeQuote.Reverted r -> {
                ObjectNode n = error(r.notEnoughLiquidity() ? "the pool cannot fill the amount: " + r.reason() : "the swap would revert: " + r.reason());
                n.put("revert", r.error());
                if (r.revertData() != null) {
                    n.put("revert_data", r.revertData());
                }
                n.put("source", "node");
                yield new Answer(422, block(n, v));
            }
        };
    }

    /** The 422 body for a pool whose quotes the pool math cannot prove: the hook, its permissions, which ones, why. */
    private static ObjectNode refused(PoolDescriptor d, QuoteSupport.Refused r, ArenaView v) {
        ObjectNode n = error("quotes of pool " + d.id() + " are refused: " + r.reason() + "; ask with simulate=node for the node's answer");
        n.put("pool", d.id().toString());
        support(n, d);
        ArrayNode names = n.putArray("refused_permissions");
        r.permissions().stream().map(HookPermission::solidityName).forEach(names::add);
        return block(n, v);
    }

    /**
     * A pool's hooks and quote support, as {@code /v1/pools} shows them: {@code quote_support} and its reason for every
     * pool; {@code hooks}, its decoded {@code hook_permissions} and {@code dynamic_fee} for V4 pools.
     */
    static ObjectNode support(ObjectNode n, PoolDescriptor d) {
        if (d.protocol() == Protocol.UNISWAP_V4) {
            n.put("hooks", d.hooks().toString());
            ArrayNode permissions = n.putArray("hook_permissions");
            HookFlags.of(d.hooks()).names().forEach(permissions::add);
            n.put("dynamic_fee", LpFee.isDynamic(d.fee()));
        }
        QuoteSupport s = QuoteSupport.of(d);
        n.put("quote_support", s.wireName());
        n.put("quote_support_reason", s.reason());
        return n;
    }

    private static Params params(QueryString q) {
        String zfo = q.get("zero_for_one");
        if (zfo == null || !(zfo.equals("true") || zfo.equals("false"))) {
            throw new IllegalArgumentException("zero_for_one must be true or false");
        }
        String in = q.get("amount_in");
        String out = q.get("amount_out");
        if ((in == null) == (out == null)) {
            throw new IllegalArgumentException("give exactly one of amount_in and amount_out");
        }
        BigInteger amount = positive(in != null ? in : out, in != null ? "amount_in" : "amount_out");
        BigInteger limit = q.has("sqrt_price_limit_x96") ? positive(q.get("sqrt_price_limit_x96"), "sqrt_price_limit_x96") : null;
        String simulate = q.get("simulate");
        if (simulate != null && !simulate.equals("node") && !simulate.equals("native")) {
            throw new IllegalArgumentException("simulate must be node or native: value=" + simulate);
        }
        return new Params(zfo.equals("true"), in != null, amount, limit, simulate);
    }

    static BigInteger positive(String text, String name) {
        try {
            BigInteger v = new BigInteger(text);
            if (v.signum() <= 0 || v.bitLength() > 256) {
                throw new IllegalArgumentException(name + " must be a positive integer below 2^256: value=" + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a decimal integer: value=" + text);
        }
    }

    private static ObjectNode block(ObjectNode n, ArenaView v) {
        n.put("block_number", v.blockNumber());
        n.put("block_hash", v.blockHash().toString());
        return n;
    }

    private static ObjectNode error(String message) {
        return ApiServer.error(message);
    }
}
