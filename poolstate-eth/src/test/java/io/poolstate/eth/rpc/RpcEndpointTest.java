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
}
