package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** HOST:PORT option values, shared by every command that binds a port. */
class HostPortTest {
    @Test
    void parsesAndRejectsWithTheOptionName() {
        assertThat(HostPort.parse("--http", "127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(HostPort.parse("--http", "::1:0")).isEqualTo(new HostPort("::1", 0));
        assertThat(HostPort.parseOrOff("--metrics", "off")).isNull();
        assertThatThrownBy(() -> HostPort.parse("--http", "8080")).hasMessage("--http must be HOST:PORT: value=8080");
        assertThatThrownBy(() -> HostPort.parse("--metrics", "h:x")).hasMessage("--metrics port is not a number: value=h:x");
        assertThatThrownBy(() -> HostPort.parse("--http", "h:70000")).hasMessage("--http port must be 0..65535: value=h:70000");
    }
}
