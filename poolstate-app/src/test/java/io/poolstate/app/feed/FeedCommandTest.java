package io.poolstate.app.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class FeedCommandTest {
    @Test
    void socketModeIsOctalAndNeverOpenToOthers() {
        assertThat(PosixFilePermissions.toString(FeedCommand.socketMode("600"))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(FeedCommand.socketMode("0660"))).isEqualTo("rw-rw----");
        assertThatThrownBy(() -> FeedCommand.socketMode("666")).hasMessageContaining("must not let other users connect");
        assertThatThrownBy(() -> FeedCommand.socketMode("400")).hasMessageContaining("owner's rw");
        assertThatThrownBy(() -> FeedCommand.socketMode("rw")).hasMessageContaining("must be octal");
    }
}
