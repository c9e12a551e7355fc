package io.poolstate.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.deploy.DevnetDeployer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevnetSmokeTest {
    @Test
    void deploys(@TempDir Path dir) {
        try (Devnet d = Devnet.start(18545, dir, DevnetDeployer.Options.defaults())) {
            assertThat(d.deployment().pools()).hasSize(30);
        }
    }
}
