package io.poolstate.app.whitelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.app.PoolstateCommand;
import io.poolstate.app.config.ConfigFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code [[whitelist.chains]]}: one whitelist process, several chains, each entry over the flags' and the file's shared values. */
class WhitelistChainsConfigTest {
    private final Map<String, String> env = new HashMap<>();

    private List<ChainWhitelist.Plan> plans(Path toml, String... args) {
        CommandLine cl = PoolstateCommand.commandLine(ConfigFile.read(toml), env::get);
        CommandLine.ParseResult r = cl.parseArgs(args);
        return ((WhitelistCommand) r.subcommand().commandSpec().userObject()).plans();
    }

    @Test
    void eachEntryIsOneChainOverTheSharedSettings(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("poolstate.toml");
        Files.writeString(toml, """
                rpc = "http://top:8545"
                [whitelist]
                min-active-usd = "1234"
                [[whitelist.chains]]
                chain = "mainnet"
                network = "ethereum"
                rpc = "http://mainnet:8545"
                [[whitelist.chains]]
                network = "base"
                interval = "1m"
                stable = ["0x0000000000000000000000000000000000000009"]
                """);
        env.put("POOLSTATE_RPC", "http://env:8545");
        List<ChainWhitelist.Plan> plans = plans(toml, "whitelist", "--confirmations", "3", "--min-depth-usd", "99");
        assertThat(plans).extracting(ChainWhitelist.Plan::chain).containsExactly("mainnet", "base");
        assertThat(plans.get(0).rpcUrl()).as("the entry over the environment").isEqualTo("http://mainnet:8545");
        assertThat(plans.get(1).rpcUrl()).as("what the entry leaves out: environment over the file").isEqualTo("http://env:8545");
        assertThat(plans.get(0).network().preset().chainId()).isEqualTo(1);
        assertThat(plans.get(1).network().preset().chainId()).isEqualTo(8453);
        assertThat(plans).allSatisfy(p -> {
            assertThat(p.thresholds().minActiveUsd()).as("[whitelist]").isEqualByComparingTo(new BigDecimal("1234"));
            assertThat(p.thresholds().minDepthUsd()).as("a flag holds for every chain").isEqualByComparingTo(new BigDecimal("99"));
            assertThat(p.confirmations()).isEqualTo(3);
        });
        assertThat(plans.get(0).interval()).as("built-in default").isEqualTo(Duration.ofMinutes(5));
        assertThat(plans.get(1).interval()).as("per chain").isEqualTo(Duration.ofMinutes(1));
        assertThat(plans.get(1).stables().keySet()).extracting(Object::toString).containsExactly("0x0000000000000000000000000000000000000009");
        assertThat(plans.get(0).multicall()).isEqualTo(plans.get(1).multicall());
    }

    @Test
    void withoutEntriesTheCommandIsOneChain(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("poolstate.toml");
        Files.writeString(toml, "network = \"base\"\nrpc = \"http://base:8545\"\n");
        assertThat(plans(toml, "whitelist")).singleElement().satisfies(p -> {
            assertThat(p.chain()).isEqualTo("base");
            assertThat(p.rpcUrl()).isEqualTo("http://base:8545");
        });
    }

    @Test
    void ambiguousAndMisplacedSettingsAreRefused(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("poolstate.toml");
        String two = """
                [[whitelist.chains]]
                chain = "a"
                rpc = "http://a:8545"
                [[whitelist.chains]]
                chain = "%s"
                rpc = "http://b:8545"
                %s
                """;
        Files.writeString(toml, two.formatted("b", ""));
        assertThatThrownBy(() -> plans(toml, "whitelist", "--rpc", "http://flag:8545")).hasMessageContaining("--rpc is given as a flag and in [[whitelist.chains]]");
        Files.writeString(toml, two.formatted("a", ""));
        assertThatThrownBy(() -> plans(toml, "whitelist")).hasMessageContaining("two chains of [[whitelist.chains]] are named a");
        Files.writeString(toml, two.formatted("b", "nats = \"nats://b:4222\""));
        assertThatThrownBy(() -> plans(toml, "whitelist")).hasMessageContaining("entry sets nats, which holds for the whole process");
        Files.writeString(toml, two.formatted("b", "rcp = \"x\""));
        assertThatThrownBy(() -> plans(toml, "whitelist")).hasMessageContaining("unknown key rcp in entry 2 of [[whitelist.chains]]");
        Files.writeString(toml, "[[feed.chains]]\nchain = \"a\"\n");
        assertThatThrownBy(() -> plans(toml, "whitelist")).hasMessageContaining("feed.chains is a list of tables; only [[whitelist.chains]] takes one");
    }
}
