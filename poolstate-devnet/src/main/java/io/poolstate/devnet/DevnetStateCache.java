package io.poolstate.devnet;

import io.poolstate.devnet.deploy.DeploymentFile;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.eth.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Saved devnets: a deployment's Anvil state ({@code state.json}, written by Anvil's {@code --dump-state} when it
 * stops) with its {@code deployment.json} and {@code pools.json}, in {@code root/<key>/}. The key is a hash of the
 * deployment options, the devnet module's compiled classes (the deploy code) and the npm lock file
 * ({@code package-lock.json} beside {@code node_modules}), so any change to what would be deployed misses the cache. An entry is complete only once its
 * directory has been renamed into place. Used by one process at a time per entry.
 */
public final class DevnetStateCache {
    public static final String STATE = "state.json";
    private final Path root;

    public DevnetStateCache(Path root) {
        this.root = root;
    }

    /** {@code $POOLSTATE_DEVNET_CACHE}, else {@code ~/.cache/poolstate/devnet}. */
    public static DevnetStateCache userDefault() {
        String env = System.getenv("POOLSTATE_DEVNET_CACHE");
        return new DevnetStateCache(env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "poolstate", "devnet"));
    }

    public Path root() {
        return root;
    }

    /** The entry directory for these options (it may not exist). */
    public Path entry(DevnetDeployer.Options options, NpmPackages npm) {
        return root.resolve(key(options, npm));
    }

    /** Whether {@code entry} holds a complete saved devnet. */
    public static boolean complete(Path entry) {
        return Files.isRegularFile(entry.resolve(STATE)) && Files.isRegularFile(entry.resolve(DeploymentFile.DEPLOYMENT))
                && Files.isRegularFile(entry.resolve(DeploymentFile.POOLS));
    }

    /** Moves a finished staging directory into place as {@code entry}, replacing an older one. */
    static void publish(Path staging, Path entry) {
        try {
            if (Files.exists(entry)) {
                delete(entry);
            }
            Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DevnetException("cannot store the devnet state in " + entry + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies Anvil's state file without the transactions (the top-level receipts and traces, and each block's
     * bodies): the accounts, block headers and block environment are what a restored node needs; block hashes
     * come from the headers, so they stay the same. At 10,000 pools this keeps the file to the accounts' size.
     */
    static void compact(Path in, Path out) throws IOException {
        com.fasterxml.jackson.core.JsonFactory json = com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build();
        try (com.fasterxml.jackson.core.JsonParser p = json.createParser(in.toFile());
             com.fasterxml.jackson.core.JsonGenerator g = json.createGenerator(out.toFile(), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
            String field = null;
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    field = p.currentName();
                    int depth = path.size();
                    boolean topLevel = depth == 1;
                    boolean inBlock = depth == 3 && "blocks".equals(path.stream().skip(1).findFirst().orElse(null));
                    if ("transactions".equals(field) && (topLevel || inBlock)) {
                        p.nextToken();
                        p.skipChildren();
                        g.writeFieldName(field);
                        g.writeStartArray();
                        g.writeEndArray();
                        continue;
                    }
                    g.copyCurrentEvent(p);
                } else if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT || t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    path.push(field == null ? "" : field);
                    field = null;
                    g.copyCurrentEvent(p);
                } else if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    path.pop();
                    g.copyCurrentEvent(p);
                } else {
                    g.copyCurrentEvent(p);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** First 16 hex digits of SHA-256 over the options, the deploy code and the npm lock file. */
    static String key(DevnetDeployer.Options options, NpmPackages npm) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(options.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (byte[] b : deployCode()) {
                sha.update(b);
            }
            Path lock = npm.root().resolveSibling("package-lock.json");
            if (!Files.isRegularFile(lock)) {
                lock = npm.root().resolve(".package-lock.json");
            }
            if (Files.isRegularFile(lock)) {
                sha.update(Files.readAllBytes(lock));
            }
            return Hex.encode(sha.digest()).substring(2, 18);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new DevnetException("cannot compute the devnet cache key: " + e.getMessage(), e);
        }
    }

    /** The devnet module's class files ({@code io/poolstate/devnet/**}), in name order, from its jar or class directory. */
    private static List<byte[]> deployCode() throws IOException {
        Path source;
        try {
            source = Path.of(DevnetStateCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IOException("no code source for the devnet classes", e);
        }
        List<byte[]> out = new ArrayList<>();
        String prefix = "io/poolstate/devnet/";
        if (Files.isDirectory(source)) {
            Path base = source.resolve(prefix);
            try (Stream<Path> s = Files.walk(base)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    out.add(base.relativize(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.add(Files.readAllBytes(p));
                }
            }
            return out;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            for (var e : jar.stream().filter(e -> e.getName().startsWith(prefix) && !e.isDirectory())
                    .sorted(Comparator.comparing(java.util.jar.JarEntry::getName)).toList()) {
                out.add(e.getName().substring(prefix.length()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = jar.getInputStream(e)) {
                    out.add(in.readAllBytes());
                }
            }
        }
        return out;
    }
}
