package io.poolstate.dex.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.network.NetworkPresets;
import io.poolstate.eth.Address;
import org.junit.jupiter.api.Test;

/** Golden vectors: the mainnet WETH/USDC pools everyone knows, derived from the factories and the preset's init code hashes. */
class PoolAddressesTest {
    @Test
    void mainnetWethUsdcPoolsFromTheirFactories() {
        NetworkPreset eth = NetworkPresets.named("ethereum");
        Address usdc = Address.of("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
        Address weth = eth.weth().address();
        assertThat(PoolAddresses.v2Pair(eth.v2Factory(), usdc, weth, eth.v2PairInitCodeHash()))
                .isEqualTo(Address.of("0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc"));
        assertThat(PoolAddresses.v3Pool(eth.v3Factory(), usdc, weth, 500, eth.v3PoolInitCodeHash()))
                .isEqualTo(Address.of("0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640"));
        assertThat(PoolAddresses.v3Pool(eth.v3Factory(), usdc, weth, 3000, eth.v3PoolInitCodeHash()))
                .isEqualTo(Address.of("0x8ad599c3A0ff1De082011EFDDc58f1908eb6e6D8"));
    }
}
