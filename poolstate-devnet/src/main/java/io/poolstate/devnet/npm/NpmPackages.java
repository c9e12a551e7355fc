package io.poolstate.devnet.npm;

import io.poolstate.devnet.DevnetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The npm packages the devnet runs on: Anvil ({@code @foundry-rs/anvil-<platform>}) and the compiled
 * Uniswap contracts. Located by the system property {@code poolstate.npm.dir}, the environment variable
 * {@code POOLSTATE_NPM_DIR}, or {@code poolstate-devnet/npm/node_modules} under the working directory.
 */
public final class NpmPackages {
    private final Path root;

    private NpmPackages(Path root) {
        this.root = root;
    }

    /** Finds the node_modules folder, or says how to install it. */
    public static NpmPackages locate() {
        String configured = System.getProperty("poolstate.npm.dir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("POOLSTATE_NPM_DIR");
        }
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("poolstate-devnet", "npm", "node_modules");
        if (!Files.isDirectory(dir.resolve("@uniswap"))) {
            throw new DevnetException("npm packages not found in " + dir.toAbsolutePath()
                    + ": run ./poolstate (it installs them) or `npm install` in poolstate-devnet/npm");
        }
        return new NpmPackages(dir.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /** A file inside the packages, e.g. {@code @uniswap/v2-core/build/UniswapV2Pair.json}. */
    public Path file(String relative) {
        Path p = root.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new DevnetException("missing npm file " + p + ": reinstall with `npm install` in poolstate-devnet/npm");
        }
        return p;
    }

    /**
     * The Anvil binary: {@code -Dpoolstate.anvil} or {@code POOLSTATE_ANVIL} if set, else the platform
     * package's {@code bin/anvil}.
     */
    public Path anvil() {
        String env = System.getProperty("poolstate.anvil", System.getenv("POOLSTATE_ANVIL"));
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p)) {
                throw new DevnetException("POOLSTATE_ANVIL=" + env + " is not an executable file");
            }
            return p;
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String platform = (os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux") + "-"
                + (arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64");
        Path p = root.resolve("@foundry-rs/anvil-" + platform + "/bin/anvil");
        if (Files.isExecutable(p)) {
            return p;
        }
        try (Stream<Path> s = Files.list(root.resolve("@foundry-rs"))) {
            List<Path> found = s.map(d -> d.resolve("bin/anvil")).filter(Files::isExecutable).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
        } catch (IOException e) {
            // fall through to the error below, which says what to install
        }
        throw new DevnetException("Anvil not found (looked for " + p + "): install it with `npm install` in poolstate-devnet/npm"
                + " (package @foundry-rs/anvil) or set POOLSTATE_ANVIL to an anvil binary");
    }
}
