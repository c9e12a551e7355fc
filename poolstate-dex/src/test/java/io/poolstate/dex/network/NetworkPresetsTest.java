package io.poolstate.dex.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The checked-in preset table: complete, sourced, and equal to the sources that ship in the npm packages. */
class NetworkPresetsTest {
    private static final Map<String, Long> CHAIN_IDS = Map.of("ethereum", 1L, "base", 8453L, "arbitrum", 42161L, "optimism", 10L, "unichain", 130L);

    @Test
    void everyNetworkHasItsContractsAndEveryValueNamesASource() {
        assertThat(NetworkPresets.all().keySet()).containsExactly("ethereum", "base", "arbitrum", "optimism", "unichain");
        for (NetworkPreset p : NetworkPresets.all().values()) {
            assertThat(p.chainId()).as(p.name()).isEqualTo(CHAIN_IDS.get(p.name()));
            assertThat(p.v3Factory()).as(p.name()).isNotNull();
            assertThat(p.poolManager()).as(p.name()).isNotNull();
            assertThat(p.v2Factory()).as(p.name()).isNotNull();
            assertThat(p.multicall3()).isEqualTo(Address.of("0xcA11bde05977b3631167028862bE2a173976CA11"));
            assertThat(p.weth().symbol()).isEqualTo("WETH");
            assertThat(p.stables()).extracting(Token::symbol).contains("USDC");
            for (String f : new String[] {"chain_id", "v2_factory", "v3_factory", "pool_manager", "multicall3", "weth"}) {
                assertThat(p.source(f)).as(p.name() + " " + f).isNotBlank();
            }
            p.stables().forEach(s -> assertThat(p.source("stable:" + s.symbol())).as(p.name() + " " + s.symbol()).isNotBlank());
            if (p.v2PairInitCodeHash() == null || p.v3PoolInitCodeHash() == null) {
                assertThat(p.notListed()).as(p.name() + " says which hash it leaves out").anyMatch(s -> s.contains("init_code_hash"));
            }
        }
        NetworkPreset eth = NetworkPresets.named("Ethereum");
        assertThat(eth.poolManager()).isEqualTo(Address.of("0x000000000004444c5dc75cb358380d2e3de08a90"));
        assertThat(eth.token("usdt")).map(Token::decimals).contains(6);
        assertThat(eth.baseTokens()).hasSize(4);
        assertThat(eth.discoveryStartBlock()).isPositive().isLessThanOrEqualTo(10_000_835L);
    }

    @Test
    void unknownNetworkNamesTheKnownOnes() {
        assertThatThrownBy(() -> NetworkPresets.named("polygon")).hasMessageContaining("network=polygon")
                .hasMessageContaining("ethereum, base, arbitrum, optimism, unichain, devnet");
    }

    @Test
    void aMistypedAddressOrAnUnsourcedValueFailsTheLoad() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String ok = "{\"sources\":{\"s\":\"somewhere\"},\"networks\":[{\"name\":\"x\",\"chain_id\":{\"value\":1,\"source\":\"s\"},"
                + "\"multicall3\":{\"address\":\"0xcA11bde05977b3631167028862bE2a173976CA11\",\"source\":\"s\"}}]}";
        assertThat(NetworkPresets.parse(json.readTree(ok)).get("x").multicall3()).isNotNull();
        assertThatThrownBy(() -> NetworkPresets.parse(json.readTree(ok.replace("CA11\",", "Ca11\","))))
                .hasMessageContaining("network=x field=multicall3").hasMessageContaining("EIP-55");
        assertThatThrownBy(() -> NetworkPresets.parse(json.readTree(ok.replace("\"source\":\"s\"}}", "\"source\":\"t\"}}"))))
                .hasMessageContaining("without a known source").hasMessageContaining("field=multicall3");
    }

    /** The values the npm packages carry (viem's chains and USDC list, sdk-core's tables, the periphery libraries) equal the table's. */
    @Test
    void tableEqualsTheSourcesShippedInTheNpmPackages() throws Exception {
        Path npm = Path.of(System.getProperty("poolstate.npm.dir", "../poolstate-devnet/npm/node_modules"));
        Path bundle = npm.resolve("@uniswap/v4-core/test/js-scripts/dist/getModifyLiquidityResult.js");
        Assumptions.assumeTrue(Files.isRegularFile(bundle), "npm packages not installed at " + npm);
        Map<String, String> viemChain = Map.of("ethereum", "mainnet", "base", "base", "arbitrum", "arbitrum", "optimism", "optimism", "unichain", "unichain");
        String usdc = Files.readString(npm.resolve("viem/_esm/tokens/definitions/usdc.js"));
        String sdk = Files.readString(bundle);
        Map<Long, String> sdkChain = Map.of(1L, "MAINNET", 10L, "OPTIMISM", 42161L, "ARBITRUM_ONE", 8453L, "BASE");
        Map<Long, Address> weth9 = new HashMap<>();
        Matcher w = Pattern.compile("new Token\\((\\d+), \"(0x[0-9a-fA-F]{40})\", 18, \"WETH\"").matcher(sdk);
        while (w.find()) {
            weth9.put(Long.parseLong(w.group(1)), Address.of(w.group(2)));
        }
        Address defaultV3 = Address.of(find(sdk, "DEFAULT_ADDRESSES = \\{\\s*v3CoreFactoryAddress: \"(0x[0-9a-fA-F]{40})\""));
        for (NetworkPreset p : NetworkPresets.all().values()) {
            String chain = Files.readString(npm.resolve("viem/_esm/chains/definitions/" + viemChain.get(p.name()) + ".js"));
            assertThat(Long.parseLong(find(chain, "\\bid: ([0-9_]+),").replace("_", ""))).as(p.name()).isEqualTo(p.chainId());
            assertThat(Address.of(find(chain, "multicall3: \\{\\s*address: '(0x[0-9a-fA-F]{40})'"))).as(p.name()).isEqualTo(p.multicall3());
            assertThat(Address.of(find(usdc, "\\b" + p.chainId() + ": '(0x[0-9a-fA-F]{40})'"))).as(p.name() + " USDC")
                    .isEqualTo(p.token("USDC").orElseThrow().address());
            String sdkName = sdkChain.get(p.chainId());
            if (sdkName == null) {
                continue; // Unichain is newer than the bundled sdk-core
            }
            assertThat(Address.of(find(sdk, "_V2_FACTORY_ADDRESSES\\[exports2\\.ChainId\\." + sdkName + "\\] = \"(0x[0-9a-fA-F]{40})\"")))
                    .as(p.name() + " v2 factory").isEqualTo(p.v2Factory());
            Address v3 = sdkName.equals("BASE") ? Address.of(find(sdk, "ChainId\\.BASE\\] = \\{ v3CoreFactoryAddress: \"(0x[0-9a-fA-F]{40})\"")) : defaultV3;
            assertThat(v3).as(p.name() + " v3 factory").isEqualTo(p.v3Factory());
            assertThat(weth9.get(p.chainId())).as(p.name() + " WETH").isEqualTo(p.weth().address());
            if (p.v3PoolInitCodeHash() != null) {
                assertThat(find(sdk, "POOL_INIT_CODE_HASH = \"(0x[0-9a-f]{64})\"")).isEqualTo(p.v3PoolInitCodeHash().toString());
            }
        }
        String v2Library = Files.readString(npm.resolve("@uniswap/v2-periphery/contracts/libraries/UniswapV2Library.sol"));
        assertThat("0x" + find(v2Library, "hex'([0-9a-f]{64})'")).isEqualTo(NetworkPresets.named("ethereum").v2PairInitCodeHash().toString());
        String poolAddress = Files.readString(npm.resolve("@uniswap/v3-periphery/contracts/libraries/PoolAddress.sol"));
        assertThat(find(poolAddress, "POOL_INIT_CODE_HASH = (0x[0-9a-f]{64})")).isEqualTo(NetworkPresets.named("ethereum").v3PoolInitCodeHash().toString());
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("pattern %s", regex).isTrue();
        return m.group(1);
    }
}
