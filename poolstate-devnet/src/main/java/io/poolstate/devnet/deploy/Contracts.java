package io.poolstate.devnet.deploy;

import io.poolstate.eth.Address;

/** Addresses of everything the devnet deployed; {@code v4Quoter} is v4-periphery's V4Quoter on the PoolManager. */
public record Contracts(Address multicall3, Address weth, Address v2Factory, Address v2Router, Address v3Factory,
                        Address positionManager, Address swapRouter, Address quoterV2, Address poolManager,
                        Address poolSwapTest, Address poolModifyLiquidityTest, Address poolDonateTest, Address flashCallee,
                        Address v4Quoter) {
    public Contracts withV4Quoter(Address quoter) {
        return new Contracts(multicall3, weth, v2Factory, v2Router, v3Factory, positionManager, swapRouter, quoterV2, poolManager,
                poolSwapTest, poolModifyLiquidityTest, poolDonateTest, flashCallee, quoter);
    }
}
