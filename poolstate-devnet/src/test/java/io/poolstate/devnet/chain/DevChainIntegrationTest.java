package io.poolstate.devnet.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevChainIntegrationTest {
    @Test
    void aRevertedTransactionNamesItselfAndTheContractsReason(@TempDir Path dir) {
        IntegrationTests.assumeEnabled();
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, new DevnetDeployer.Options(3, 1, 1))) {
            PoolDescriptor p = devnet.deployment().pools(Protocol.UNISWAP_V3).get(0);
            devnet.chain().queue("mint with inverted range", devnet.deployment().contracts().positionManager(), Abi.call(
                    "mint((address,address,uint24,int24,int24,uint256,uint256,uint256,uint256,address,uint256))", Tuple.from(
                            Abi.addr(p.token0().address()), Abi.addr(p.token1().address()), p.fee(), 600, -600, BigInteger.TEN,
                            BigInteger.TEN, BigInteger.ZERO, BigInteger.ZERO, Abi.addr(devnet.deployment().trader()), Abi.MAX_UINT256)),
                    null, 5_000_000);
            assertThatThrownBy(() -> devnet.chain().mineAll(10)).isInstanceOf(DevnetException.class)
                    .hasMessageStartingWith("mint with inverted range reverted: tx=0x").hasMessageContaining("reason='TLU'");
        }
    }

    @Test
    void rollbackReplacesBlocksWithNewHashes(@TempDir Path dir) {
        IntegrationTests.assumeEnabled();
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()) + 1, dir, new DevnetDeployer.Options(3, 1, 1))) {
            DevChain c = devnet.chain();
            c.mineEmpty();
            c.mineEmpty();
            var before = c.head();
            c.rollback(2);
            c.mineEmpty();
            c.mineEmpty();
            var after = c.head();
            assertThat(after.number()).isEqualTo(before.number());
            assertThat(after.hash()).isNotEqualTo(before.hash());
        }
    }
}
