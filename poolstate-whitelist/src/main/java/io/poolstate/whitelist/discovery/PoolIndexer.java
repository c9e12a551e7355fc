package io.poolstate.whitelist.discovery;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogRangeReader;
import io.poolstate.postgres.Database;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes pool creations into Postgres from factory events: V2 {@code PairCreated}, V3 {@code PoolCreated},
 * V4 {@code Initialize} on the PoolManager, with the V4 pool's hooks contract and the permissions its address carries
 * ({@code hook_flags}, {@code hook_permissions}; v4-core {@code Hooks.sol}). Each factory's progress is stored with the pools in one transaction,
 * so a run resumes where the last stopped and never rescans from the start block. Blocks within
 * {@code confirmations} of the head are left for the next run.
 */
public final class PoolIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(PoolIndexer.class);
    /** V2 {@code PairCreated(address indexed token0, address indexed token1, address pair, uint256)} (v2-core UniswapV2Factory.sol). */
    public static final Bytes32 PAIR_CREATED = Bytes32.of("0x0d3648bd0f6ba80134a33ba9275ac585d9d315f0ad8355cddefde31afa28d0e9");
    /** V3 {@code PoolCreated(address indexed token0, address indexed token1, uint24 indexed fee, int24 tickSpacing, address pool)} (v3-core IUniswapV3Factory.sol). */
    public static final Bytes32 POOL_CREATED = Bytes32.of("0x783cca1c0412dd0d695e784568c96da2e9c22ff989357a2e8b1d9b2b4e6b7118");

    /** The contracts whose events announce pools. */
    public record Factories(List<Address> v2, List<Address> v3, List<Address> poolManagers) {
    }

    /** A pool as indexed. */
    public record Found(String id, Protocol protocol, Address token0, Address token1, Address factory, Integer fee, Integer tickSpacing,
                        Address hooks, long block) {
        /** The permissions of the V4 hooks contract (none without one); null for V2/V3. */
        public HookFlags hookFlags() {
            return hooks == null ? null : HookFlags.of(hooks);
        }
    }

    private final EthClient eth;
    private final DataSource ds;
    private final String chain;
    private final Factories factories;
    private final long startBlock;
    private final int confirmations;

    public PoolIndexer(EthClient eth, DataSource ds, String chain, Factories factories, long startBlock, int confirmations) {
        this.eth = eth;
        this.ds = ds;
        this.chain = chain;
        this.factories = factories;
        this.startBlock = startBlock;
        this.confirmations = confirmations;
    }

    /** Indexes new blocks for every factory; returns how many pools were found. */
    public int index() throws SQLException {
        long to = eth.blockNumber() - confirmations;
        int found = 0;
        for (Address f : factories.v2()) {
            found += indexSource("v2:" + f, f, PAIR_CREATED, Protocol.UNISWAP_V2, to);
        }
        for (Address f : factories.v3()) {
            found += indexSource("v3:" + f, f, POOL_CREATED, Protocol.UNISWAP_V3, to);
        }
        for (Address m : factories.poolManagers()) {
            found += indexSource("v4:" + m, m, EventKind.V4_INITIALIZE.topic0(), Protocol.UNISWAP_V4, to);
        }
        return found;
    }

    private int indexSource(String source, Address factory, Bytes32 topic, Protocol protocol, long to) throws SQLException {
        long from = progress(source) + 1;
        if (from > to) {
            return 0;
        }
        List<Found> pools = new ArrayList<>();
        for (Log l : new LogRangeReader(eth).read(from, to, List.of(factory), List.of(topic))) {
            Found p = decode(l, protocol, factory);
            if (p != null) {
                pools.add(p);
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO discovered_pools (chain, pool_id, protocol, token0, token1, factory, fee, tick_spacing,"
                    + " hooks, created_block, hook_flags, hook_permissions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement p = c.prepareStatement("INSERT INTO discovery_progress (chain, source, last_block) VALUES (?, ?, ?)"
                         + " ON CONFLICT (chain, source) DO UPDATE SET last_block = EXCLUDED.last_block")) {
                for (Found f : pools) {
                    s.setString(1, chain);
                    s.setString(2, f.id());
                    s.setString(3, f.protocol().wireName());
                    s.setString(4, f.token0().toString());
                    s.setString(5, f.token1().toString());
                    s.setString(6, f.factory().toString());
                    setInt(s, 7, f.fee());
                    setInt(s, 8, f.tickSpacing());
                    s.setString(9, f.hooks() == null ? null : f.hooks().toString());
                    s.setLong(10, f.block());
                    HookFlags flags = f.hookFlags();
                    setInt(s, 11, flags == null ? null : flags.bits());
                    if (flags == null) {
                        s.setNull(12, java.sql.Types.ARRAY);
                    } else {
                        s.setArray(12, c.createArrayOf("text", flags.names().toArray()));
                    }
                    s.addBatch();
                }
                s.executeBatch();
                p.setString(1, chain);
                p.setString(2, source);
                p.setLong(3, to);
                p.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                Database.rollback(c, e);
                throw e;
            }
        }
        if (!pools.isEmpty()) {
            LOG.info("pool discovery: source={} blocks={}..{} pools={}", source, from, to, pools.size());
        }
        return pools.size();
    }

    private static void setInt(PreparedStatement s, int i, Integer v) throws SQLException {
        if (v == null) {
            s.setNull(i, java.sql.Types.INTEGER);
        } else {
            s.setInt(i, v);
        }
    }

    private long progress(String source) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT last_block FROM discovery_progress WHERE chain = ? AND source = ?")) {
            s.setString(1, chain);
            s.setString(2, source);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : startBlock - 1;
            }
        }
    }

    /** Every indexed pool of the chain. */
    public List<Found> all() throws SQLException {
        List<Found> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pool_id, protocol, token0, token1, factory, fee, tick_spacing, hooks, created_block"
                     + " FROM discovered_pools WHERE chain = ? ORDER BY pool_id")) {
            s.setString(1, chain);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Found(r.getString(1), io.poolstate.dex.pool.Protocol.parse(r.getString(2)), Address.of(r.getString(3)),
                            Address.of(r.getString(4)), Address.of(r.getString(5)), (Integer) r.getObject(6), (Integer) r.getObject(7),
                            r.getString(8) == null ? null : Address.of(r.getString(8)), r.getLong(9)));
                }
            }
        }
        return out;
    }

    private static Found decode(Log l, Protocol protocol, Address factory) {
        try {
            switch (protocol) {
                case UNISWAP_V2 -> {
                    if (l.topics().size() != 3 || l.data().length != 64) {
                        return skip(l, "PairCreated needs 3 topics and 2 words");
                    }
                    return new Found(Address.fromWord(l.data(), 0).toString(), protocol, Address.fromWord(l.topics().get(1).toBytes(), 0),
                            Address.fromWord(l.topics().get(2).toBytes(), 0), factory, null, null, null, l.blockNumber());
                }
                case UNISWAP_V3 -> {
                    if (l.topics().size() != 4 || l.data().length != 64) {
                        return skip(l, "PoolCreated needs 4 topics and 2 words");
                    }
                    int fee = l.topics().get(3).toBigInteger().intValueExact();
                    int spacing = new BigInteger(java.util.Arrays.copyOfRange(l.data(), 0, 32)).intValueExact();
                    return new Found(Address.fromWord(l.data(), 32).toString(), protocol, Address.fromWord(l.topics().get(1).toBytes(), 0),
                            Address.fromWord(l.topics().get(2).toBytes(), 0), factory, fee, spacing, null, l.blockNumber());
                }
                case UNISWAP_V4 -> {
                    var d = LogDecoder.decode(l);
                    if (d == null || !(d.event() instanceof PoolEvent.V4Initialize i)) {
                        return skip(l, "not a V4 Initialize");
                    }
                    return new Found(i.id().toString(), protocol, i.currency0(), i.currency1(), factory, i.fee(), i.tickSpacing(), i.hooks(), l.blockNumber());
                }
                default -> {
                    return null;
                }
            }
        } catch (MalformedLogException | ArithmeticException | IllegalArgumentException e) {
            return skip(l, e.getMessage());
        }
    }

    private static Found skip(Log l, String why) {
        LOG.warn("skipping factory log: {} {}", why, l.position());
        return null;
    }
}
