package io.poolstate.devnet;

import org.junit.jupiter.api.Assumptions;

/** Integration tests run against real Anvil; {@code -Dpoolstate.it.skip=true} skips them. */
public final class IntegrationTests {
    private IntegrationTests() {
    }

    public static void assumeEnabled() {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"), "integration tests skipped (poolstate.it.skip=true)");
    }

    /** A port unlikely to clash: derived from the test class so parallel forks do not collide. */
    public static int port(Class<?> test) {
        return 20000 + Math.floorMod(test.getName().hashCode(), 20000);
    }
}
