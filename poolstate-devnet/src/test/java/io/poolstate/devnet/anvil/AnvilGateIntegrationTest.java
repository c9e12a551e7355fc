package io.poolstate.devnet.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RpcException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads pinned to the head block while blocks are mined: through the gate (in this JVM, and over its HTTP URL as
 * other processes use it), every read equals the same read once the block has a successor; straight to Anvil,
 * some read the next block's state under the head's name.
 */
class AnvilGateIntegrationTest {
    private static final Address RECIPIENT = Address.of("0x00000000000000000000000000000000000c0ffe");

    /** A read pinned to the head at the time: the block and the balance read there. */
    private record Read(long number, Bytes32 hash, BigInteger balance) {
    }

    @Test
    void readsPinnedToTheHeadNeverSeeTheBlockBeingMined(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, new DevnetDeployer.Options(3, 1, 1));
             EthClient overHttp = EthClient.open(devnet.deployment().httpUrl());
             EthClient direct = EthClient.open(devnet.anvil().httpUrl())) {
            assertThat(devnet.deployment().httpUrl()).isEqualTo(devnet.gate().url());
            int blocks = 200;
            int gated = mismatches(devnet, devnet.eth(), blocks);
            int gatedHttp = mismatches(devnet, overHttp, blocks);
            int straight = mismatches(devnet, direct, blocks);
            System.out.printf("anvil gate: reads pinned to the head that saw another block's state: through the gate %d (in this JVM) and %d"
                    + " (over its HTTP URL), straight to anvil %d (%d blocks each); gate requests shared=%d exclusive=%d%n", gated, gatedHttp, straight,
                    blocks, devnet.gate().sharedRequests(), devnet.gate().exclusiveRequests());
            assertThat(straight).as("reads straight to Anvil that saw another block's state (none: Anvil no longer races, and this test"
                    + " cannot tell the gate works)").isPositive();
            assertThat(gated).as("reads through the gate in this JVM that saw another block's state").isZero();
            assertThat(gatedHttp).as("reads through the gate's HTTP URL that saw another block's state").isZero();
        }
    }

    /** Mines {@code blocks} blocks, each paying the recipient, while {@code reader} reads its balance at the head; then checks each read. */
    private static int mismatches(Devnet devnet, EthClient reader, int blocks) throws Exception {
        List<Read> reads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> minerFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread mining = Thread.ofPlatform().name("miner").start(() -> {
            try {
                for (int i = 0; i < blocks; i++) {
                    devnet.chain().queue("pay", RECIPIENT, new byte[0], BigInteger.ONE, 21_000);
                    devnet.chain().mine();
                }
            } catch (RuntimeException e) {
                minerFailure.set(e);
            }
        });
        while (mining.isAlive()) {
            BlockHeader head = reader.latestHeader();
            try {
                reads.add(new Read(head.number(), head.hash(), reader.balance(RECIPIENT, BlockRef.hash(head.hash()))));
            } catch (RpcException e) {
                // a block not known yet to the node's state index: read the next head
            }
        }
        mining.join();
        if (minerFailure.get() != null) {
            throw minerFailure.get();
        }
        devnet.chain().mineEmpty(); // every block read has a successor now
        int wrong = 0;
        for (Read r : reads) {
            if (!devnet.eth().balance(RECIPIENT, BlockRef.hash(r.hash())).equals(r.balance())) {
                wrong++;
            }
        }
        assertThat(reads.size()).as("reads taken while %d blocks were mined", blocks).isGreaterThan(blocks / 4);
        return wrong;
    }
}
