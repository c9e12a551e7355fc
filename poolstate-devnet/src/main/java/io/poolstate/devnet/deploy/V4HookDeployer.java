package io.poolstate.devnet.deploy;

import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.contract.Artifact;
import io.poolstate.devnet.contract.V4TestHookArtifacts;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.rpc.BlockRef;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts v4-core's test hooks at addresses whose low 14 bits are exactly the permission flags each {@link HookKind} needs
 * (v4-core {@code Hooks.sol}: the PoolManager calls a hook at the points its address names).
 *
 * <p>Hooks with constructors run them at their final address: a CREATE2 salt is mined (counting up from 0, so the
 * addresses are the same on every devnet) that lands the init code — creation code plus constructor arguments — on an
 * address with the flags, and the contract is created through the deterministic deployment proxy
 * ({@code 0x4e59b44847b379578588920ca78fbf26c0b4956c}, Anvil's default; installed when missing). Their storage and
 * immutables are then exactly what their constructors set. EmptyTestHooks' constructor requires all 14 flags; for the
 * pool whose hook has no swap permissions its runtime code (no storage, no immutables) is placed at a flagged address
 * with {@code anvil_setCode} instead.
 */
final class V4HookDeployer {
    private static final Logger LOG = LoggerFactory.getLogger(V4HookDeployer.class);
    static final Address CREATE2_DEPLOYER = Address.of("0x4e59b44847b379578588920ca78fbf26c0b4956c");
    /** The proxy's runtime code (github.com/Arachnid/deterministic-deployment-proxy): calldata = salt ++ init code. */
    private static final byte[] CREATE2_DEPLOYER_CODE = Hex.decode(
            "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3");
    /** Where EmptyTestHooks' runtime code goes: a fixed prefix, the flags in the low bits. */
    private static final BigInteger SET_CODE_BASE = new BigInteger("e7e7000000000000000000000000000000000000", 16);

    private V4HookDeployer() {
    }

    /** Deploys one hook per kind and returns their addresses; dynamic-fee hooks get the PoolManager and their first fee. */
    static Map<HookKind, Address> deploy(DevChain chain, V4TestHookArtifacts art, Address manager, Map<HookKind, Integer> initialFees) {
        if (chain.eth().code(CREATE2_DEPLOYER, BlockRef.latest()).length == 0) {
            chain.setCode(CREATE2_DEPLOYER, CREATE2_DEPLOYER_CODE);
        }
        byte[] managerArg = Abi.encode("(address)", Abi.addr(manager));
        Map<HookKind, Address> out = new EnumMap<>(HookKind.class);
        for (HookKind k : HookKind.values()) {
            if (k == HookKind.NO_SWAP_PERMISSIONS) {
                Address at = Address.of(SET_CODE_BASE.or(BigInteger.valueOf(k.flags().bits())));
                chain.setCode(at, art.emptyTestHooksRuntime());
                out.put(k, at);
                continue;
            }
            byte[] initCode = switch (k) {
                case DYNAMIC_FEE, DYNAMIC_FEE_BEFORE_SWAP -> art.dynamicFeesTestHook().creationCode();
                case FEE_OVERRIDE -> art.dynamicReturnFeeTestHook().creationCode();
                case FEE_TAKING -> withArgs(art.feeTakingHook(), managerArg);
                case LP_FEE_TAKING -> withArgs(art.lpFeeTakingHook(), managerArg);
                case CUSTOM_CURVE -> withArgs(art.customCurveHook(), managerArg);
                case NO_SWAP_PERMISSIONS -> throw new IllegalStateException("placed with anvil_setCode");
            };
            byte[] hash = Keccak256.hash(initCode);
            byte[] salt = Create2.mineSalt(CREATE2_DEPLOYER, hash, HookPermission.ALL_HOOK_MASK, k.flags().bits(), 0);
            Address at = Create2.address(CREATE2_DEPLOYER, salt, hash);
            byte[] data = new byte[32 + initCode.length];
            System.arraycopy(salt, 0, data, 0, 32);
            System.arraycopy(initCode, 0, data, 32, initCode.length);
            chain.queue("deploy " + k.contract() + " (" + k.wireName() + ") at " + at, CREATE2_DEPLOYER, data, null, DevnetDeployer.DEPLOY_GAS);
            out.put(k, at);
        }
        chain.mineAll(DevnetDeployer.TXS_PER_BLOCK);
        for (Map.Entry<HookKind, Address> e : out.entrySet()) {
            HookKind k = e.getKey();
            Address at = e.getValue();
            if (chain.eth().code(at, BlockRef.latest()).length == 0) {
                throw new DevnetException(k.contract() + " has no code at " + at + " after its deployment");
            }
            if (!HookFlags.of(at).equals(k.flags())) {
                throw new IllegalStateException(k.contract() + " at " + at + " has flags " + HookFlags.of(at) + ", not " + k.flags());
            }
            if (k == HookKind.DYNAMIC_FEE || k == HookKind.DYNAMIC_FEE_BEFORE_SWAP || k == HookKind.FEE_OVERRIDE) {
                chain.queue("hook setManager " + k.wireName(), at, Abi.call("setManager(address)", Abi.addr(manager)), null, DevnetDeployer.CALL_GAS);
                chain.queue("hook setFee " + k.wireName(), at, Abi.call("setFee(uint24)", initialFees.get(k)), null, DevnetDeployer.CALL_GAS);
            }
            LOG.info("v4 hook: kind={} contract={} address={} flags={}", k.wireName(), k.contract(), at, HookFlags.of(at));
        }
        chain.mineAll(DevnetDeployer.TXS_PER_BLOCK);
        return out;
    }

    private static byte[] withArgs(Artifact a, byte[] args) {
        byte[] out = new byte[a.creationCode().length + args.length];
        System.arraycopy(a.creationCode(), 0, out, 0, a.creationCode().length);
        System.arraycopy(args, 0, out, a.creationCode().length, args.length);
        return out;
    }
}
