package io.poolstate.devnet.contract;

import io.poolstate.devnet.npm.NpmPackages;

/**
 * The real Uniswap contracts and test helpers, compiled, from their npm packages
 * ({@code @uniswap/v2-core}, {@code v2-periphery}, {@code v3-core}, {@code v3-periphery}, {@code v4-core},
 * {@code v4-periphery}'s V4Quoter).
 */
public record UniswapArtifacts(Artifact v2Factory, Artifact v2Router02, Artifact weth9, Artifact v3Factory,
                               Artifact positionManager, Artifact swapRouter, Artifact quoterV2, Artifact poolManager,
                               Artifact poolSwapTest, Artifact poolModifyLiquidityTest, Artifact poolDonateTest,
                               Artifact mockErc20, byte[] v2PairCreationCode, byte[] v3PoolCreationCode, Artifact v4Quoter) {

    public static UniswapArtifacts load(NpmPackages npm) {
        return new UniswapArtifacts(
                a(npm, "UniswapV2Factory", "@uniswap/v2-core/build/UniswapV2Factory.json"),
                a(npm, "UniswapV2Router02", "@uniswap/v2-periphery/build/UniswapV2Router02.json"),
                a(npm, "WETH9", "@uniswap/v2-periphery/build/WETH9.json"),
                a(npm, "UniswapV3Factory", "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"),
                a(npm, "NonfungiblePositionManager", "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json"),
                a(npm, "SwapRouter", "@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json"),
                a(npm, "QuoterV2", "@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json"),
                a(npm, "PoolManager", "@uniswap/v4-core/out/PoolManager.sol/PoolManager.json"),
                a(npm, "PoolSwapTest", "@uniswap/v4-core/out/PoolSwapTest.sol/PoolSwapTest.json"),
                a(npm, "PoolModifyLiquidityTest", "@uniswap/v4-core/out/PoolModifyLiquidityTest.sol/PoolModifyLiquidityTest.json"),
                a(npm, "PoolDonateTest", "@uniswap/v4-core/out/PoolDonateTest.sol/PoolDonateTest.json"),
                a(npm, "MockERC20", "@uniswap/v4-core/out/mocks/MockERC20.sol/MockERC20.json"),
                a(npm, "UniswapV2Pair", "@uniswap/v2-core/build/UniswapV2Pair.json").creationCode(),
                a(npm, "UniswapV3Pool", "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json").creationCode(),
                a(npm, "V4Quoter", "@uniswap/v4-periphery/foundry-out/V4Quoter.sol/V4Quoter.json"));
    }

    private static Artifact a(NpmPackages npm, String name, String path) {
        return Artifact.load(name, npm.file(path));
    }
}
