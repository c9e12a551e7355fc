package io.poolstate.dex.event;

import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Bytes32;
import java.util.HashMap;
import java.util.Map;

/**
 * Every pool event we decode, with its Solidity signature and topic0 ({@code keccak256(signature)}; a test
 * recomputes each). {@code topics} counts topic0 plus indexed fields; {@code dataWords} the 32-byte words of
 * the non-indexed fields. Sources: v2-core {@code UniswapV2Pair.sol}, v3-core {@code IUniswapV3PoolEvents.sol},
 * v4-core {@code IPoolManager.sol} / {@code IProtocolFees.sol}.
 */
public enum EventKind {
    V2_SYNC(Protocol.UNISWAP_V2, "Sync(uint112,uint112)", "0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1", 1, 2),
    V2_SWAP(Protocol.UNISWAP_V2, "Swap(address,uint256,uint256,uint256,uint256,address)", "0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822", 3, 4),
    V2_MINT(Protocol.UNISWAP_V2, "Mint(address,uint256,uint256)", "0x4c209b5fc8ad50758f13e2e1088ba56a560dff690a1c6fef26394f4c03821c4f", 2, 2),
    V2_BURN(Protocol.UNISWAP_V2, "Burn(address,uint256,uint256,address)", "0xdccd412f0b1252819cb1fd330b93224ca42612892bb3f4f789976e6d81936496", 3, 2),
    V3_INITIALIZE(Protocol.UNISWAP_V3, "Initialize(uint160,int24)", "0x98636036cb66a9c19a37435efc1e90142190214e8abeb821bdba3f2990dd4c95", 1, 2),
    V3_SWAP(Protocol.UNISWAP_V3, "Swap(address,address,int256,int256,uint160,uint128,int24)", "0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67", 3, 5),
    V3_MINT(Protocol.UNISWAP_V3, "Mint(address,address,int24,int24,uint128,uint256,uint256)", "0x7a53080ba414158be7ec69b987b5fb7d07dee101fe85488f0853ae16239d0bde", 4, 4),
    V3_BURN(Protocol.UNISWAP_V3, "Burn(address,int24,int24,uint128,uint256,uint256)", "0x0c396cd989a39f4459b5fa1aed6a9a8dcdbc45908acfd67e028cd568da98982c", 4, 3),
    V3_COLLECT(Protocol.UNISWAP_V3, "Collect(address,address,int24,int24,uint128,uint128)", "0x70935338e69775456a85ddef226c395fb668b63fa0115f5f20610b388e6ca9c0", 4, 3),
    V3_FLASH(Protocol.UNISWAP_V3, "Flash(address,address,uint256,uint256,uint256,uint256)", "0xbdbdb71d7860376ba52b25a5028beea23581364a40522f6bcfb86bb1f2dca633", 3, 4),
    V4_INITIALIZE(Protocol.UNISWAP_V4, "Initialize(bytes32,address,address,uint24,int24,address,uint160,int24)", "0xdd466e674ea557f56295e2d0218a125ea4b4f0f6f3307b95f85e6110838d6438", 4, 5),
    V4_MODIFY_LIQUIDITY(Protocol.UNISWAP_V4, "ModifyLiquidity(bytes32,address,int24,int24,int256,bytes32)", "0xf208f4912782fd25c7f114ca3723a2d5dd6f3bcc3ac8db5af63baa85f711d5ec", 3, 4),
    V4_SWAP(Protocol.UNISWAP_V4, "Swap(bytes32,address,int128,int128,uint160,uint128,int24,uint24)", "0x40e9cecb9f5f1f1c5b9c97dec2917b7ee92e57ba5563708daca94dd84ad7112f", 3, 6),
    V4_DONATE(Protocol.UNISWAP_V4, "Donate(bytes32,address,uint256,uint256)", "0x29ef05caaff9404b7cb6d1c0e9bbae9eaa7ab2541feba1a9c4248594c08156cb", 3, 2),
    V4_PROTOCOL_FEE_UPDATED(Protocol.UNISWAP_V4, "ProtocolFeeUpdated(bytes32,uint24)", "0xe9c42593e71f84403b84352cd168d693e2c9fcd1fdbcc3feb21d92b43e6696f9", 2, 1);

    private static final Map<Bytes32, EventKind> BY_TOPIC = new HashMap<>();

    static {
        for (EventKind k : values()) {
            BY_TOPIC.put(k.topic0, k);
        }
    }

    private final Protocol protocol;
    private final String signature;
    private final Bytes32 topic0;
    private final int topics;
    private final int dataWords;

    EventKind(Protocol protocol, String signature, String topic0, int topics, int dataWords) {
        this.protocol = protocol;
        this.signature = signature;
        this.topic0 = Bytes32.of(topic0);
        this.topics = topics;
        this.dataWords = dataWords;
    }

    /** The kind whose topic0 this is, or null when it is not a pool event we decode. */
    public static EventKind byTopic0(Bytes32 topic0) {
        return topic0 == null ? null : BY_TOPIC.get(topic0);
    }

    public Protocol protocol() {
        return protocol;
    }

    public String signature() {
        return signature;
    }

    public Bytes32 topic0() {
        return topic0;
    }

    /** topic0 plus indexed fields. */
    public int topicCount() {
        return topics;
    }

    /** 32-byte words of non-indexed data. */
    public int dataWords() {
        return dataWords;
    }
}
