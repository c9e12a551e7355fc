package io.poolstate.eth.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RpcEndpointTest {
    @Test
    void parsesEverySupportedScheme() {
        assertThat(RpcEndpoint.parse("http://127.0.0.1:8545").kind()).isEqualTo(RpcEndpoint.Kind.HTTP);
        assertThat(RpcEndpoint.parse("https://node.example:443/x").kind()).isEqualTo(RpcEndpoint.Kind.HTTP);
        assertThat(RpcEndpoint.parse("ws://localhost:8546").kind()).isEqualTo(RpcEndpoint.Kind.WEBSOCKET);
        assertThat(RpcEndpoint.parse("wss://node.example").kind()).isEqualTo(RpcEndpoint.Kind.WEBSOCKET);
        RpcEndpoint ipc = RpcEndpoint.parse("ipc:///tmp/reth.ipc");
        assertThat(ipc.kind()).isEqualTo(RpcEndpoint.Kind.IPC);
        assertThat(ipc.ipcPath().toString()).isEqualTo("/tmp/reth.ipc");
    }

    @Test
    void rejectsUnknownSchemesAndRelativeIpcPaths() {
        assertThatThrownBy(() -> RpcEndpoint.parse("ftp://x")).hasMessageContaining("unsupported rpc url scheme");
        assertThatThrownBy(() -> RpcEndpoint.parse("ipc://relative.ipc")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> RpcEndpoint.parse("")).hasMessageContaining("empty");
    }

    @Test
    void redactedFormKeepsSchemeHostAndPortOnly() {
        assertThat(RpcEndpoint.redact("https://eth-mainnet.g.alchemy.com/v2/KEY123")).isEqualTo("https://eth-mainnet.g.alchemy.com/***");
        assertThat(RpcEndpoint.redact("wss://mainnet.infura.io/ws/v3/KEY123?x=1")).isEqualTo("wss://mainnet.infura.io/***");
        assertThat(RpcEndpoint.redact("http://user:pa55@node:8545/")).isEqualTo("http://***@node:8545");
        assertThat(RpcEndpoint.redact("http://node:8545?apikey=KEY123")).isEqualTo("http://node:8545/***");
        assertThat(RpcEndpoint.redact("http://127.0.0.1:8545")).isEqualTo("http://127.0.0.1:8545");
        assertThat(RpcEndpoint.redact("ipc:///var/run/reth.ipc")).isEqualTo("ipc:///var/run/reth.ipc");
        assertThat(RpcEndpoint.redact("KEY123")).isEqualTo("<unparsable url>");
        RpcEndpoint e = RpcEndpoint.parse("https://user:pa55@node.example/v2/KEY123?token=T0K");
        assertThat(e.toString()).isEqualTo("https://***@node.example/***").doesNotContain("KEY123");
        assertThat(e.url()).contains("KEY123");
        assertThat(e.scrub("GET /v2/KEY123?token=T0K by user:pa55 at " + e.url())).doesNotContain("KEY123").doesNotContain("T0K").doesNotContain("pa55");
    }

    @Test
    void errorsAboutAUrlDoNotRepeatItsSecrets() {
        assertThatThrownBy(() -> RpcEndpoint.parse("ftp://node/KEY123")).hasMessageContaining("url=ftp://node/***").hasMessageNotContaining("KEY123");
        assertThatThrownBy(() -> RpcEndpoint.parse("https://node/v2/KEY 123")).hasMessageContaining("malformed rpc url: url=https://node/***")
                .hasMessageNotContaining("KEY").hasNoCause();
    }
}
