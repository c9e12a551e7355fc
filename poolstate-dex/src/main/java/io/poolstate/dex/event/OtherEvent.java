package io.poolstate.dex.event;

import io.poolstate.eth.Bytes32;
import java.util.HashMap;
import java.util.Map;

/**
 * Events that pool contracts and the PoolManager also emit but that do not change the state we track
 * (price, liquidity, ticks, reserves, fees): LP-token and ERC-6909 accounting, ownership, oracle and
 * protocol-fee administration. Recognised so that they are told apart from logs we cannot read.
 */
public enum OtherEvent {
    ERC20_TRANSFER("Transfer(address,address,uint256)", "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"),
    ERC20_APPROVAL("Approval(address,address,uint256)", "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925"),
    OWNERSHIP_TRANSFERRED("OwnershipTransferred(address,address)", "0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0"),
    PROTOCOL_FEE_CONTROLLER_UPDATED("ProtocolFeeControllerUpdated(address)", "0xb4bd8ef53df690b9943d3318996006dbb82a25f54719d8c8035b516a2a5b8acc"),
    ERC6909_TRANSFER("Transfer(address,address,address,uint256,uint256)", "0x1b3d7edb2e9c0b0e7c525b20aaaef0f5940d2ed71663c7d39266ecafac728859"),
    ERC6909_APPROVAL("Approval(address,address,uint256,uint256)", "0xb3fd5071835887567a0671151121894ddccc2842f1d10bedad13e0d17cace9a7"),
    OPERATOR_SET("OperatorSet(address,address,bool)", "0xceb576d9f15e4e200fdb5096d64d5dfd667e16def20c1eefd14256d8e3faa267"),
    V3_INCREASE_OBSERVATION_CARDINALITY_NEXT("IncreaseObservationCardinalityNext(uint16,uint16)", "0xac49e518f90a358f652e4400164f05a5d8f7e35e7747279bc3a93dbf584e125a"),
    V3_SET_FEE_PROTOCOL("SetFeeProtocol(uint8,uint8,uint8,uint8)", "0x973d8d92bb299f4af6ce49b52a8adb85ae46b9f214c4c4fc06ac77401237b133"),
    V3_COLLECT_PROTOCOL("CollectProtocol(address,address,uint128,uint128)", "0x596b573906218d3411850b26a6b437d6c4522fdb43d2d2386263f86d50b8b151");

    private static final Map<Bytes32, OtherEvent> BY_TOPIC = new HashMap<>();

    static {
        for (OtherEvent e : values()) {
            BY_TOPIC.put(e.topic0, e);
        }
    }

    private final String signature;
    private final Bytes32 topic0;

    OtherEvent(String signature, String topic0) {
        this.signature = signature;
        this.topic0 = Bytes32.of(topic0);
    }

    /** The event with this topic0, or null. */
    public static OtherEvent byTopic0(Bytes32 topic0) {
        return topic0 == null ? null : BY_TOPIC.get(topic0);
    }

    public String signature() {
        return signature;
    }

    public Bytes32 topic0() {
        return topic0;
    }
}
