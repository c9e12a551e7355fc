package io.poolstate.eth.rpc;

/**
 * Which block counts as the chain's newest for a part that must never see a reorg undo what it has taken in: the head
 * itself ({@link Head}), the block {@code N} below the head ({@link Depth}: a reorg that replaces at most N blocks never
 * reaches it), or the node's {@code finalized} block ({@link Finalized}, {@code eth_getBlockByNumber("finalized")}:
 * on proof-of-stake Ethereum the last finalised checkpoint; Anvil answers head − 64, its two-epoch stand-in).
 */
public sealed interface Confirmation {
    /** Following the head: blocks as soon as they are mined, reverts when a reorg replaces them. */
    Confirmation HEAD = new Head();

    /** The block to follow when the node's head is {@code head}, or null when none is confirmed yet. */
    BlockHeader confirmed(EthClient eth, BlockHeader head);

    /** The number of the newest confirmed block now (-1 when none). */
    long confirmedNumber(EthClient eth);

    /** {@code head}, {@code N confirmations} or {@code finalized}: for start-up lines and status. */
    String describe();

    /** Blocks as they are mined. */
    record Head() implements Confirmation {
        @Override
        public BlockHeader confirmed(EthClient eth, BlockHeader head) {
            return head;
        }

        @Override
        public long confirmedNumber(EthClient eth) {
            return eth.blockNumber();
        }

        @Override
        public String describe() {
            return "head";
        }
    }

    /** The block {@code blocks} below the head: reorgs that replace at most {@code blocks} blocks never reach it. */
    record Depth(int blocks) implements Confirmation {
        public Depth {
            if (blocks < 1) {
                throw new IllegalArgumentException("confirmations must be at least 1: confirmations=" + blocks);
            }
        }

        @Override
        public BlockHeader confirmed(EthClient eth, BlockHeader head) {
            return head.number() < blocks ? null : eth.header(head.number() - blocks);
        }

        @Override
        public long confirmedNumber(EthClient eth) {
            return eth.blockNumber() - blocks;
        }

        @Override
        public String describe() {
            return blocks + " confirmations";
        }
    }

    /** The node's finalized block. */
    record Finalized() implements Confirmation {
        @Override
        public BlockHeader confirmed(EthClient eth, BlockHeader head) {
            return eth.finalizedHeader();
        }

        @Override
        public long confirmedNumber(EthClient eth) {
            BlockHeader f = eth.finalizedHeader();
            return f == null ? -1 : f.number();
        }

        @Override
        public String describe() {
            return "finalized";
        }
    }
}
