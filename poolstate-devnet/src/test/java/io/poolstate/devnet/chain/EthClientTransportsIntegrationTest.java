package io.poolstate.devnet.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RpcException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-RPC client over HTTP, WebSocket and IPC against a real Anvil, heads and Multicall3 included. */
class EthClientTransportsIntegrationTest {
    @Test
    void allTransportsAnswerAndDeliverHeads(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, new DevnetDeployer.Options(3, 1, 1))) {
            var d = devnet.deployment();
            CompletableFuture<RpcException> wsEnded = new CompletableFuture<>();
            for (String url : List.of(d.httpUrl(), d.wsUrl(), d.ipcUrl())) {
                try (EthClient eth = EthClient.open(url)) {
                    assertThat(eth.chainId()).as(url).isEqualTo(31337L);
                    long head = eth.blockNumber();
                    List<BlockHeader> headers = eth.headers(head - 2, head + 5);
                    assertThat(headers).as(url).hasSize(3);
                    assertThat(headers.get(2).parentHash()).isEqualTo(headers.get(1).hash());

                    BlockingQueue<BlockHeader> heads = new LinkedBlockingQueue<>();
                    try (AutoCloseable sub = eth.newHeads(heads::add, e -> { }, Duration.ofMillis(20))) {
                        if (url.startsWith("http")) {
                            assertThat(heads.poll(5, TimeUnit.SECONDS)).isNotNull(); // the poller reports the current head first
                        }
                        for (int i = 0; i < 3; i++) {
                            devnet.chain().mineEmpty();
                            BlockHeader h = heads.poll(5, TimeUnit.SECONDS);
                            assertThat(h).as(url + " head " + i).isNotNull();
                            assertThat(h.number()).isEqualTo(head + 1 + i);
                            assertThat(h.hash()).isEqualTo(devnet.eth().header(h.number()).hash());
                        }
                    }
                }
            }

            Multicall3 mc = new Multicall3(devnet.eth());
            Address pool = d.pools(Protocol.UNISWAP_V3).get(0).id().address();
            List<Multicall3.Result> r = mc.aggregate(List.of(mc.ethBalanceCall(d.trader()),
                    new Multicall3.Call(pool, Abi.call("getReserves()"))), BlockRef.latest());
            assertThat(new BigInteger(1, r.get(0).returnData())).isEqualTo(devnet.eth().balance(d.trader(), BlockRef.latest()));
            assertThat(r.get(1).success()).as("getReserves on a V3 pool fails on its own").isFalse();

            EthClient ws = EthClient.open(d.wsUrl());
            ws.newHeads(h -> { }, wsEnded::complete, Duration.ofMillis(20));
            devnet.anvil().close();
            assertThat(wsEnded.get(10, TimeUnit.SECONDS)).as("subscription end is reported when the node goes away")
                    .hasMessageContaining("connection lost");
            ws.close();
        }
    }
}
