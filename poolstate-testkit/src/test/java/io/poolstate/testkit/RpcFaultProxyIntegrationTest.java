package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.devnet.anvil.AnvilProcess;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.RetryPolicy;
import io.poolstate.eth.rpc.RpcErrorResponseException;
import io.poolstate.eth.rpc.RpcTransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON-RPC fault proxy in front of a real Anvil holding two blocks of logs, through the project's own client. */
class RpcFaultProxyIntegrationTest {
    private static AnvilProcess anvil;
    private static EthClient direct;
    private static Path dir;
    /** Two blocks, each with 9 logs (3 contract creations emitting 3 logs each). */
    private static BlockHeader b1;
    private static BlockHeader b2;

    private RpcFaultProxy proxy;
    private EthClient eth;

    @BeforeAll
    static void chain() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"), "integration tests skipped (poolstate.it.skip=true)");
        dir = Files.createTempDirectory("rpc-fault-proxy");
        anvil = AnvilProcess.start(NpmPackages.locate().anvil(), LoopbackPorts.free(), dir);
        direct = EthClient.open(anvil.httpUrl());
        Address from = Address.of(direct.rpc().call("eth_accounts").get(0).asText());
        DevChain chain = new DevChain(direct, from, 12);
        b1 = mineLogs(chain, 0);
        b2 = mineLogs(chain, 3);
        chain.mineEmpty(); // reads below are pinned to blocks that have a successor
    }

    /** One block with three contract creations whose init code emits three LOG1s each (topics first+0..8). */
    private static BlockHeader mineLogs(DevChain chain, int first) {
        for (int tx = 0; tx < 3; tx++) {
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                code.append(String.format("60%02x", first * 16 + tx * 3 + i)).append("60006000a1"); // PUSH1 topic, PUSH1 0 (size), PUSH1 0 (offset), LOG1
            }
            chain.queueDeploy("logs " + tx, Hex.decode("0x" + code + "00"), 200_000);
        }
        List<DevChain.Mined> mined = chain.mine();
        assertThat(mined).allMatch(DevChain.Mined::success);
        return direct.header(mined.get(0).receipt().blockNumber());
    }

    @AfterAll
    static void stopChain() {
        if (direct != null) {
            direct.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @BeforeEach
    void startProxy() {
        proxy = RpcFaultProxy.start(anvil.httpUrl(), 42);
        eth = EthClient.open(proxy.url(), RetryPolicy.NONE.withTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stopProxy() {
        eth.close();
        proxy.close();
    }

    @Test
    void forwardsSingleRequestsAndBatchesUnchanged() {
        assertThat(eth.chainId()).isEqualTo(31337L);
        assertThat(logs(eth, b1.hash())).isEqualTo(logs(direct, b1.hash())).hasSize(9);
        assertThat(rawBlock(eth, b1.hash())).isEqualTo(rawBlock(direct, b1.hash()));
        List<JsonRpcClient.Call> batch = List.of(new JsonRpcClient.Call("eth_getBlockByNumber", List.of(Hex.quantity(b1.number()), false)),
                new JsonRpcClient.Call("eth_getBlockByNumber", List.of(Hex.quantity(b2.number()), false)));
        assertThat(eth.rpc().batchResults(batch)).isEqualTo(direct.rpc().batchResults(batch));
        RpcFaultProxy.Stats s = proxy.stats();
        assertThat(s.received()).isEqualTo(5);
        assertThat(s.forwarded()).isEqualTo(5);
        assertThat(proxy.requests("eth_getBlockByNumber")).isEqualTo(2);
        assertThat(proxy.applied()).isEmpty();
    }

    @Test
    void shuffledLogsAreTheSameLogsInAnotherOrder() {
        RpcFault f = RpcFault.shuffledLogs();
        proxy.add(f);
        List<JsonNode> expected = logs(direct, b1.hash());
        List<JsonNode> got = logs(eth, b1.hash());
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected).isNotEqualTo(expected);
        assertThat(proxy.applied(f)).isEqualTo(1);
        assertThat(logsOf(eth, "0x" + Long.toHexString(b2.number() + 1))).isEmpty();
        assertThat(proxy.applied(f)).as("an answer with nothing to shuffle does not count").isEqualTo(1);
    }

    @Test
    void duplicatedLogsFollowTheirOriginal() {
        RpcFault f = RpcFault.duplicatedLogs(2);
        proxy.add(f);
        List<JsonNode> expected = logs(direct, b1.hash());
        List<JsonNode> got = logs(eth, b1.hash());
        assertThat(got).hasSize(expected.size() + 2);
        assertThat(new HashSet<>(got)).isEqualTo(new HashSet<>(expected));
        List<JsonNode> deduplicated = new ArrayList<>();
        for (JsonNode l : got) {
            if (deduplicated.isEmpty() || !deduplicated.get(deduplicated.size() - 1).equals(l)) {
                deduplicated.add(l);
            }
        }
        assertThat(deduplicated).as("each copy right after its original: the order stays the node's").isEqualTo(expected);
        assertThat(proxy.applied(f)).isEqualTo(1);
    }

    @Test
    void droppedLogsOnlyInTheFirstAnswerForEachBlock() {
        RpcFault f = RpcFault.droppedLogsFirstAnswer(2);
        proxy.add(f);
        List<JsonNode> whole1 = logs(direct, b1.hash());
        List<JsonNode> first = logs(eth, b1.hash());
        assertThat(whole1).containsAll(first);
        assertThat(first).hasSize(whole1.size() - 2);
        assertThat(logs(eth, b1.hash())).as("asked again: whole").isEqualTo(whole1);

        // a range answer: block 1 was answered before and stays whole; block 2 is new and loses two logs
        List<JsonNode> range = logsRange(eth, b1.number(), b2.number());
        List<JsonNode> wholeRange = logsRange(direct, b1.number(), b2.number());
        assertThat(range).hasSize(wholeRange.size() - 2).containsAll(whole1);
        assertThat(proxy.applied(f)).isEqualTo(2);
    }

    @Test
    void droppedLogsWithAProbabilityRepeatWithTheSeed() {
        RpcFault f = RpcFault.droppedLogs(0.5);
        proxy.add(f);
        List<JsonNode> got = logsRange(eth, b1.number(), b2.number());
        try (RpcFaultProxy same = RpcFaultProxy.start(anvil.httpUrl(), proxy.seed());
             EthClient viaSame = EthClient.open(same.url())) {
            same.add(RpcFault.droppedLogs(0.5));
            assertThat(logsRange(viaSame, b1.number(), b2.number())).as("seed %d", proxy.seed()).isEqualTo(got);
        }
        assertThat(got.size()).as("seed %d drops some of 18 logs", proxy.seed()).isBetween(1, 17);
        assertThat(proxy.applied(f)).isEqualTo(1);
    }

    @Test
    void blocksWithoutLogsBloomSingleAndBatched() {
        RpcFault f = RpcFault.withoutLogsBloom();
        proxy.add(f);
        assertThat(direct.header(b1.hash()).logsBloom()).isNotNull();
        assertThat(eth.header(b1.hash()).logsBloom()).isNull();
        assertThat(eth.header(b1.number()).logsBloom()).isNull();
        assertThat(eth.headers(b1.number(), b2.number())).allMatch(h -> h.logsBloom() == null)
                .map(BlockHeader::hash).containsExactly(b1.hash(), b2.hash());
        assertThat(proxy.applied(f)).isEqualTo(4);
    }

    @Test
    void errorAnsweredInTheNodesPlaceAlsoInsideABatch() {
        RpcFault f = RpcFault.error("eth_blockNumber", -32005, "limit exceeded");
        proxy.add(f);
        assertThatThrownBy(eth::blockNumber).isInstanceOfSatisfying(RpcErrorResponseException.class, e -> {
            assertThat(e.code()).isEqualTo(-32005);
            assertThat(e.nodeMessage()).isEqualTo("limit exceeded");
        });
        List<JsonRpcClient.Outcome> batch = eth.rpc().batch(List.of(new JsonRpcClient.Call("eth_chainId", List.of()),
                new JsonRpcClient.Call("eth_blockNumber", List.of()), new JsonRpcClient.Call("eth_chainId", List.of())));
        assertThat(batch.get(0)).isInstanceOfSatisfying(JsonRpcClient.Success.class, s -> assertThat(s.result().asText()).isEqualTo("0x7a69"));
        assertThat(batch.get(1)).isInstanceOfSatisfying(JsonRpcClient.Failure.class, x -> assertThat(x.error().code()).isEqualTo(-32005));
        assertThat(batch.get(2)).isInstanceOf(JsonRpcClient.Success.class);
        assertThat(proxy.applied(f)).isEqualTo(2);
        assertThat(proxy.stats().answeredByFaults()).isEqualTo(2);
        assertThat(proxy.stats().forwarded()).as("the failed requests never reached the node").isEqualTo(2);
    }

    @Test
    void timesLimitsHowOftenAFaultActs() {
        RpcFault f = RpcFault.error("eth_chainId", -32000, "once").times(1);
        proxy.add(f);
        assertThatThrownBy(eth::chainId).isInstanceOf(RpcErrorResponseException.class);
        assertThat(eth.chainId()).isEqualTo(31337L);
        assertThat(eth.chainId()).isEqualTo(31337L);
        assertThat(proxy.applied(f)).isEqualTo(1);
    }

    @Test
    void delayedMethodOnly() {
        RpcFault f = RpcFault.delayed("eth_chainId", Duration.ofMillis(400));
        proxy.add(f);
        long t0 = System.nanoTime();
        eth.chainId();
        long delayed = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        eth.blockNumber();
        long other = (System.nanoTime() - t0) / 1_000_000;
        assertThat(delayed).isGreaterThanOrEqualTo(400);
        assertThat(other).isLessThan(400);
        assertThat(proxy.applied(f)).isEqualTo(1);
    }

    @Test
    void freezeHoldsRequestsUntilThaw() throws Exception {
        proxy.freeze();
        CompletableFuture<Long> head = CompletableFuture.supplyAsync(eth::blockNumber, r -> Thread.ofVirtual().start(r));
        Thread.sleep(400);
        assertThat(head).isNotDone();
        assertThat(proxy.stats().held()).isEqualTo(1);
        assertThat(proxy.stats().forwarded()).isZero();
        proxy.thaw();
        assertThat(head.get(5, TimeUnit.SECONDS)).isEqualTo(direct.blockNumber());
    }

    @Test
    void unreachableNodeIsAnHttpError() {
        try (RpcFaultProxy p = RpcFaultProxy.start("http://127.0.0.1:" + LoopbackPorts.free());
             EthClient c = EthClient.open(p.url(), RetryPolicy.NONE)) {
            assertThatThrownBy(c::chainId).isInstanceOf(RpcTransportException.class).hasMessageContaining("http_status=502");
            assertThat(p.stats().nodeUnreachable()).isEqualTo(1);
        }
    }

    private static List<JsonNode> logs(EthClient c, Bytes32 blockHash) {
        return list(c.rpc().call("eth_getLogs", Map.of("blockHash", blockHash.toString())));
    }

    private static List<JsonNode> logsOf(EthClient c, String blockNumber) {
        return list(c.rpc().call("eth_getLogs", Map.of("fromBlock", blockNumber, "toBlock", blockNumber)));
    }

    private static List<JsonNode> logsRange(EthClient c, long from, long to) {
        return list(c.rpc().call("eth_getLogs", Map.of("fromBlock", Hex.quantity(from), "toBlock", Hex.quantity(to))));
    }

    private static JsonNode rawBlock(EthClient c, Bytes32 hash) {
        return c.rpc().call("eth_getBlockByHash", hash.toString(), false);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
