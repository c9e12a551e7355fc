package io.poolstate.app;

import java.nio.file.Path;

/** Where the launcher keeps its working files: {@code -Dpoolstate.home}, else {@code .poolstate} here. */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        String home = System.getProperty("poolstate.home");
        return home == null || home.isBlank() ? Path.of(".poolstate").toAbsolutePath() : Path.of(home);
    }

    public static Path devnet() {
        return dir().resolve("devnet");
    }
}
