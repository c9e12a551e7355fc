package io.poolstate.devnet.deploy;

import io.poolstate.eth.Address;

/** Addresses of everything the devnet deployed. */
public record Contracts(Address multicall3, Address weth, Address v2Factory, Address v2Router, Address v3Factory,
                        Address positionManager, Address swapRouter, Address quoterV2, Address poolManager,
                        Address poolSwapTest, Address poolModifyLiquidityTest, Address poolDonateTest, Address flashCallee) {
}
