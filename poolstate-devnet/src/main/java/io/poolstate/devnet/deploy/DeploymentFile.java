package io.poolstate.devnet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.devnet.DevnetException;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.eth.Address;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A devnet on disk: {@code deployment.json} (node URLs, trader, contracts, tokens, hooked pools with their hook, its
 * permissions and quote support) and {@code pools.json},
 * the pool list as a whitelist {@code full} message (spec section 1), readable by {@code --pools FILE}.
 */
public final class DeploymentFile {
    public static final String DEPLOYMENT = "deployment.json";
    public static final String POOLS = "pools.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeploymentFile() {
    }

    public static void write(Deployment d, Path dir) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("chain_id", d.chainId());
        root.put("http_url", d.httpUrl());
        root.put("ws_url", d.wsUrl());
        root.put("ipc_url", d.ipcUrl());
        root.put("trader", d.trader().toString());
        root.put("deploy_block", d.deployBlock());
        ObjectNode c = root.putObject("contracts");
        Contracts k = d.contracts();
        c.put("multicall3", k.multicall3().toString());
        c.put("weth", k.weth().toString());
        c.put("v2_factory", k.v2Factory().toString());
        c.put("v2_router", k.v2Router().toString());
        c.put("v3_factory", k.v3Factory().toString());
        c.put("position_manager", k.positionManager().toString());
        c.put("swap_router", k.swapRouter().toString());
        c.put("quoter_v2", k.quoterV2().toString());
        c.put("pool_manager", k.poolManager().toString());
        c.put("pool_swap_test", k.poolSwapTest().toString());
        c.put("pool_modify_liquidity_test", k.poolModifyLiquidityTest().toString());
        c.put("pool_donate_test", k.poolDonateTest().toString());
        c.put("flash_callee", k.flashCallee().toString());
        c.put("v4_quoter", k.v4Quoter().toString());
        ArrayNode tokens = root.putArray("tokens");
        for (int i = 0; i < d.tokens().size(); i++) {
            Token t = d.tokens().get(i);
            tokens.addObject().put("address", t.address().toString()).put("decimals", t.decimals()).put("symbol", t.symbol())
                    .put("usd_price", d.usdPrices().get(i));
        }
        ArrayNode hooked = root.putArray("hooked_pools");
        for (HookedPool h : d.hookedPools()) {
            QuoteSupport support = QuoteSupport.of(h.pool());
            ObjectNode n = hooked.addObject().put("kind", h.kind().wireName()).put("contract", h.kind().contract()).put("hooks", h.hooks().toString())
                    .put("pool_id", h.pool().id().toString()).put("fee", h.pool().fee());
            ArrayNode perms = n.putArray("hook_permissions");
            HookFlags.of(h.hooks()).names().forEach(perms::add);
            n.put("quote_support", support.wireName()).put("quote_support_reason", support.reason());
        }
        try {
            Files.createDirectories(dir);
            MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(DEPLOYMENT).toFile(), root);
            WhitelistMessage full = WhitelistMessage.full("devnet", Instant.now().toEpochMilli(), Instant.now(), d.pools());
            Files.write(dir.resolve(POOLS), WhitelistCodec.writeReadable(full));
        } catch (IOException e) {
            throw new DevnetException("cannot write deployment to " + dir + ": " + e.getMessage(), e);
        }
    }

    public static Deployment read(Path dir) {
        Path file = dir.resolve(DEPLOYMENT);
        if (!Files.isRegularFile(file)) {
            throw new DevnetException("no devnet deployment at " + file + ": start one with `./poolstate devnet up`");
        }
        try {
            JsonNode r = MAPPER.readTree(file.toFile());
            JsonNode c = r.path("contracts");
            Contracts k = new Contracts(a(c, "multicall3"), a(c, "weth"), a(c, "v2_factory"), a(c, "v2_router"), a(c, "v3_factory"),
                    a(c, "position_manager"), a(c, "swap_router"), a(c, "quoter_v2"), a(c, "pool_manager"), a(c, "pool_swap_test"),
                    a(c, "pool_modify_liquidity_test"), a(c, "pool_donate_test"), a(c, "flash_callee"),
                    c.hasNonNull("v4_quoter") ? a(c, "v4_quoter") : null);
            List<Token> tokens = new ArrayList<>();
            List<Double> prices = new ArrayList<>();
            for (JsonNode t : r.path("tokens")) {
                tokens.add(new Token(Address.of(t.path("address").asText()), t.path("decimals").asInt(), t.path("symbol").asText()));
                prices.add(t.path("usd_price").asDouble());
            }
            WhitelistMessage pools = WhitelistCodec.read(Files.readAllBytes(dir.resolve(POOLS)));
            List<HookedPool> hooked = new ArrayList<>();
            for (JsonNode h : r.path("hooked_pools")) {
                PoolId id = PoolId.parse(h.path("pool_id").asText());
                PoolDescriptor pool = pools.pools().stream().filter(p -> p.id().equals(id)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("hooked pool " + id + " is not in " + POOLS));
                hooked.add(new HookedPool(HookKind.parse(h.path("kind").asText()), Address.of(h.path("hooks").asText()), pool));
            }
            return new Deployment(r.path("chain_id").asLong(), r.path("http_url").asText(), r.path("ws_url").asText(),
                    r.path("ipc_url").asText(), Address.of(r.path("trader").asText()), k, tokens, prices, pools.pools(),
                    r.path("deploy_block").asLong(), hooked);
        } catch (IOException | WhitelistFormatException | IllegalArgumentException e) {
            throw new DevnetException("cannot read devnet deployment in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Address a(JsonNode n, String field) {
        return Address.of(n.path(field).asText());
    }
}
