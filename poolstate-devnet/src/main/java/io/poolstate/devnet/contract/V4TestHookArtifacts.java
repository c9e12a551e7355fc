package io.poolstate.devnet.contract;

import io.poolstate.devnet.npm.NpmPackages;

/**
 * v4-core's compiled test hooks ({@code @uniswap/v4-core/out/}, sources in {@code src/test/}): EmptyTestHooks (every
 * callback a no-op; its constructor insists on all 14 flags, so the devnet places its runtime code instead of running
 * it), DynamicFeesTestHook, DynamicReturnFeeTestHook, FeeTakingHook, LPFeeTakingHook and CustomCurveHook.
 */
public record V4TestHookArtifacts(byte[] emptyTestHooksRuntime, Artifact dynamicFeesTestHook, Artifact dynamicReturnFeeTestHook,
                                  Artifact feeTakingHook, Artifact lpFeeTakingHook, Artifact customCurveHook) {

    public static V4TestHookArtifacts load(NpmPackages npm) {
        return new V4TestHookArtifacts(
                Artifact.loadRuntime(npm.file(path("EmptyTestHooks"))),
                a(npm, "DynamicFeesTestHook"),
                a(npm, "DynamicReturnFeeTestHook"),
                a(npm, "FeeTakingHook"),
                a(npm, "LPFeeTakingHook"),
                a(npm, "CustomCurveHook"));
    }

    private static Artifact a(NpmPackages npm, String name) {
        return Artifact.load(name, npm.file(path(name)));
    }

    private static String path(String name) {
        return "@uniswap/v4-core/out/" + name + ".sol/" + name + ".json";
    }
}
