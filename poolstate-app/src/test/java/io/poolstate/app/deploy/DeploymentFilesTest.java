package io.poolstate.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import io.poolstate.app.PoolstateCommand;
import io.poolstate.app.config.ConfigFile;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be tested of the deployment files without Docker or systemd running them: the compose file parsed and
 * held to the security rules, its commands and configuration accepted by the launcher, the NATS cluster
 * configuration accepted by nats-server, the systemd units by systemd-analyze, the image's entrypoint run for real,
 * the jlink module list against jdeps, the alert rules by promtool (syntax and unit tests), and every metric the
 * rules and the Grafana dashboard name produced by the services.
 */
class DeploymentFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("whitelist", "feed", "arena", "whales");

    @Test
    void composeRunsTheClusterAndEveryServiceHardenedAndHealthChecked() throws Exception {
        // SnakeYAML resolves the file's merge keys (<<: *poolstate) as Compose does
        Object yaml = new org.yaml.snakeyaml.Yaml().load(Files.readString(DEPLOY.resolve("compose/compose.yaml")));
        JsonNode compose = new ObjectMapper().valueToTree(yaml);
        JsonNode services = compose.get("services");
        for (String s : List.of("nats-1", "nats-2", "nats-3", "postgres", "whitelist", "feed", "arena", "whales")) {
            assertThat(services.has(s)).as(s).isTrue();
            assertThat(services.get(s).path("healthcheck").path("test").isArray()).as(s + " has a health check").isTrue();
        }
        ConfigFile config = ConfigFile.read(DEPLOY.resolve("compose/poolstate.toml"));
        List<String> poolstateServices = new ArrayList<>(SERVICES);
        poolstateServices.addAll(List.of("feed-standby", "arena-remote"));
        for (String s : poolstateServices) {
            JsonNode svc = services.get(s);
            assertThat(svc.path("user").asText()).as(s).isEqualTo("10001:10001");
            assertThat(svc.path("read_only").asBoolean()).as(s).isTrue();
            assertThat(svc.path("cap_drop").toString()).as(s).contains("ALL");
            assertThat(svc.path("security_opt").toString()).as(s).contains("no-new-privileges:true");
            assertThat(svc.path("environment").path("POOLSTATE_CONFIG").asText()).isEqualTo("/etc/poolstate/poolstate.toml");
            svc.path("depends_on").forEach(d -> assertThat(d.path("condition").asText()).as(s + " waits for healthy dependencies").isEqualTo("service_healthy"));
            svc.path("ports").forEach(p -> assertThat(p.asText()).as(s + " publishes on loopback only").startsWith("127.0.0.1:"));
            List<String> command = new ArrayList<>();
            svc.path("command").forEach(c -> command.add(c.asText()));
            // the launcher accepts the command with the compose configuration (a misspelt key would fail here)
            var parsed = PoolstateCommand.commandLine(config, name -> null).parseArgs(command.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).isTrue();
            List<String> health = new ArrayList<>();
            svc.path("healthcheck").path("test").forEach(t -> health.add(t.asText()));
            assertThat(health).as(s).startsWith("CMD", "/usr/local/bin/poolstate", "healthcheck");
        }
        // scale-out: both feeds publish the block stream under their own lease names; one arena reads the socket, the other the stream
        assertThat(List.of(commandOf(services, "feed"), commandOf(services, "feed-standby"))).allSatisfy(c -> assertThat(c).contains("--publish-nats", "--feed-id"));
        assertThat(commandOf(services, "feed").get(commandOf(services, "feed").indexOf("--feed-id") + 1))
                .isNotEqualTo(commandOf(services, "feed-standby").get(commandOf(services, "feed-standby").indexOf("--feed-id") + 1));
        assertThat(commandOf(services, "arena")).contains("--feed-socket").doesNotContain("--feed");
        assertThat(commandOf(services, "arena-remote")).contains("--feed").doesNotContain("--feed-socket");
        assertThat(config.lookup(List.of("arena"), "feed-socket")).as("an arena given both --feed and --feed-socket refuses to start").isNull();
        for (String n : List.of("nats-1", "nats-2", "nats-3")) {
            assertThat(services.get(n).path("environment").path("NATS_SERVER_NAME").asText()).isEqualTo(n);
        }
        Set<String> secrets = names(compose.get("secrets"));
        Set<String> configs = names(compose.get("configs"));
        services.fields().forEachRemaining(e -> {
            e.getValue().path("secrets").forEach(x -> assertThat(secrets).as(e.getKey()).contains(x.asText()));
            e.getValue().path("configs").forEach(x -> assertThat(configs).as(e.getKey()).contains(x.path("source").asText()));
        });
        compose.get("configs").forEach(c -> assertThat(DEPLOY.resolve("compose").resolve(c.path("file").asText())).as("config file exists").exists());
        assertThat(compose.get("secrets").toString()).doesNotContain("environment"); // secrets are files, not variables
    }

    private static List<String> commandOf(JsonNode services, String name) {
        List<String> command = new ArrayList<>();
        services.get(name).path("command").forEach(c -> command.add(c.asText()));
        return command;
    }

    @Test
    void natsServerAcceptsTheClusterConfiguration() throws Exception {
        Path nats = Stream.of("/usr/sbin/nats-server", "/usr/bin/nats-server").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(nats != null, "nats-server not installed (./run-tests installs it)");
        ProcessBuilder pb = new ProcessBuilder(nats.toString(), "-t", "-c", DEPLOY.resolve("compose/nats.conf").toString()).redirectErrorStream(true);
        pb.environment().put("NATS_SERVER_NAME", "nats-1");
        pb.environment().put("NATS_PASSWORD", "test-password");
        Run r = run(pb);
        assertThat(r.exit).as(r.out).isZero();
    }

    @Test
    void systemdUnitsVerifyAndTheirCommandsParse(@TempDir Path dir) throws Exception {
        Path units = DEPLOY.resolve("systemd");
        ConfigFile config = ConfigFile.read(units.resolve("poolstate.toml"));
        for (String s : SERVICES) {
            String unit = Files.readString(units.resolve("poolstate-" + s + ".service"));
            assertThat(unit).contains("User=poolstate", "NoNewPrivileges=yes", "ProtectSystem=strict", "LoadCredential=rpc_url:");
            Matcher m = Pattern.compile("(?m)^ExecStart=/opt/poolstate/bin/poolstate (.+)$").matcher(unit);
            assertThat(m.find()).as(s).isTrue();
            String[] args = m.group(1).replace("${CREDENTIALS_DIRECTORY}", "/run/credentials/x").split(" ");
            assertThat(PoolstateCommand.commandLine(config, name -> null).parseArgs(args).hasSubcommand()).isTrue();
        }
        Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(analyze != null, "systemd-analyze not installed");
        Path launcher = dir.resolve("poolstate");
        Files.copy(units.resolve("poolstate-launcher.sh"), launcher);
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        List<String> cmd = new ArrayList<>(List.of(analyze.toString(), "verify", "--man=no"));
        try (Stream<Path> files = Files.list(units)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".service") || f.toString().endsWith(".target")).toList()) {
                Path copy = dir.resolve(f.getFileName());
                Files.writeString(copy, Files.readString(f).replace("/opt/poolstate/bin/poolstate", launcher.toString()));
                cmd.add(copy.toString());
            }
        }
        Run r = run(new ProcessBuilder(cmd).redirectErrorStream(true));
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).as("no warnings either").isBlank();
    }

    @Test
    void entrypointRunsTheLauncherAsNonRootAndProbesHealth(@TempDir Path dir) throws Exception {
        Path entrypoint = DEPLOY.resolve("docker/entrypoint.sh");
        Path fakeJava = dir.resolve("java");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        boolean root = "0".equals(run(new ProcessBuilder("id", "-u")).out.strip());
        if (root) {
            ProcessBuilder refused = new ProcessBuilder("bash", entrypoint.toString(), "feed").redirectErrorStream(true);
            refused.environment().put("POOLSTATE_JAVA", fakeJava.toString());
            Run r = run(refused);
            assertThat(r.exit).isEqualTo(64);
            assertThat(r.out).contains("refusing to run as root");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", entrypoint.toString(), "whales", "run", "--token", "WETH").redirectErrorStream(true);
        pb.environment().put("POOLSTATE_JAVA", fakeJava.toString());
        pb.environment().put("POOLSTATE_ALLOW_ROOT", "1");
        pb.environment().put("JAVA_OPTS", "-Xmx64m -Dx=1");
        pb.environment().put("POOLSTATE_HOME", "/data");
        Run r = run(pb);
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out.lines().toList()).containsExactly("-Xmx64m", "-Dx=1", "-XX:+ExitOnOutOfMemoryError", "-Dpoolstate.home=/data", "-jar",
                "/opt/poolstate/poolstate.jar", "whales", "run", "--token", "WETH");

        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            int status = ex.getRequestURI().getPath().equals("/health") ? 200 : 503;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            assertThat(run(new ProcessBuilder("bash", entrypoint.toString(), "healthcheck", base + "/health")).exit).isZero();
            assertThat(run(new ProcessBuilder("bash", entrypoint.toString(), "healthcheck", base + "/starting")).exit).isEqualTo(1);
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            assertThat(run(new ProcessBuilder("bash", entrypoint.toString(), "healthcheck", "http://127.0.0.1:" + closed + "/health")).exit).isNotZero();
            assertThat(run(new ProcessBuilder("bash", entrypoint.toString(), "healthcheck", "ftp://x/")).exit).isEqualTo(2);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void imageIsMultiStageNonRootWithALinkedRuntimeThatHasEveryModuleNeeded() throws Exception {
        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).isEqualTo(3);
        assertThat(dockerfile).contains("jlink --add-modules \"$(cat /jlink-modules)\"").contains("USER poolstate:poolstate")
                .contains("ENTRYPOINT [\"/usr/local/bin/poolstate\"]").doesNotContainPattern("(?m)^USER root");
        assertThat(Files.readString(DEPLOY.getParent().resolve(".dockerignore"))).contains("**/target", ".git", ".poolstate", "node_modules");
        Set<String> linked = new TreeSet<>(Arrays.asList(Files.readString(DEPLOY.resolve("docker/jlink-modules")).strip().split(",")));
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Assumptions.assumeTrue(Files.isExecutable(jdeps), "jdeps not in this JDK");
        List<String> cmd = new ArrayList<>(List.of(jdeps.toString(), "-q", "--multi-release", "21", "--ignore-missing-deps", "--print-module-deps"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // what the image ships: the launcher's classes and its runtime libraries, not the test tools
            if (entry.contains("/test-classes") || entry.contains("junit") || entry.contains("assertj") || entry.contains("opentest4j")
                    || entry.contains("apiguardian") || entry.contains("snakeyaml") || entry.contains("jackson-dataformat-yaml")
                    || entry.contains("byte-buddy")) {
                continue;
            }
            if (Files.exists(Path.of(entry))) {
                cmd.add(entry);
            }
        }
        Run r = run(new ProcessBuilder(cmd).redirectErrorStream(true));
        assertThat(r.exit).as(r.out).isZero();
        String last = r.out.strip().lines().reduce((a, b) -> b).orElse("");
        Set<String> needed = new TreeSet<>(Arrays.asList(last.split(",")));
        assertThat(linked).as("deploy/docker/jlink-modules covers jdeps' list %s", needed).containsAll(needed);
    }

    @Test
    void alertRulesPassPromtoolAndTheirUnitTests(@TempDir Path dir) throws Exception {
        String env = System.getenv("POOLSTATE_PROMTOOL");
        Path promtool = Stream.of(env == null ? "" : env, "/usr/bin/promtool", "../.poolstate/tools/promtool").filter(s -> !s.isEmpty()).map(p -> Path.of(p).toAbsolutePath())
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(promtool != null, "promtool not found (./run-tests fetches it into .poolstate/tools)");
        Path prom = DEPLOY.resolve("prometheus");
        Run check = run(new ProcessBuilder(promtool.toString(), "check", "rules", prom.resolve("alerts.yml").toString()).redirectErrorStream(true));
        assertThat(check.exit).as(check.out).isZero();
        assertThat(check.out).contains("SUCCESS");
        Run tests = run(new ProcessBuilder(promtool.toString(), "test", "rules", "alerts-test.yml").directory(prom.toFile()).redirectErrorStream(true));
        assertThat(tests.exit).as(tests.out).isZero();
        Files.copy(prom.resolve("alerts.yml"), dir.resolve("alerts.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), Files.readString(DEPLOY.resolve("compose/prometheus.yml"))
                .replace("/etc/prometheus/alerts.yml", dir.resolve("alerts.yml").toString()));
        Run config = run(new ProcessBuilder(promtool.toString(), "check", "config", dir.resolve("prometheus.yml").toString()).redirectErrorStream(true));
        assertThat(config.exit).as(config.out).isZero();
    }

    /** Every series the alert rules and the dashboard query is one the services export (names drift silently otherwise). */
    @Test
    void alertsAndDashboardNameOnlyMetricsTheServicesExport() throws Exception {
        Set<String> exported = exportedSeries();
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/poolstate-dashboard.json").toFile());
        StringBuilder exprs = new StringBuilder();
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode p : dashboard.get("panels")) {
            assertThat(ids.add(p.get("id").asInt())).as("unique panel id").isTrue();
            if (!p.path("type").asText().equals("row")) {
                assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
                p.path("targets").forEach(t -> exprs.append(t.path("expr").asText()).append('\n'));
            }
        }
        String rules = Files.readString(DEPLOY.resolve("prometheus/alerts.yml"));
        Set<String> referenced = new TreeSet<>();
        Matcher m = Pattern.compile("poolstate_[a-z0-9_]+").matcher(exprs + rules);
        while (m.find()) {
            referenced.add(m.group());
        }
        referenced.removeIf(n -> n.startsWith("poolstate_") && (n.equals("poolstate_") || n.contains("poolstate_test")));
        assertThat(referenced).hasSizeGreaterThan(30);
        assertThat(exported).containsAll(referenced);
        JsonNode alerts = new YAMLMapper().readTree(rules);
        Set<String> alertNames = new TreeSet<>();
        alerts.get("groups").forEach(g -> g.get("rules").forEach(r -> alertNames.add(r.get("alert").asText())));
        assertThat(alertNames).contains("PoolstateWhitelistEmpty", "PoolstateWhitelistHeld", "PoolstateWhitelistQueueLong", "PoolstateWhitelistSlow",
                "PoolstateFeedBehind", "PoolstateArenaStale", "PoolstateArenaSelfCheckDifferences");
    }

    /** Names of every series the four services' registries export once each meter has been used. */
    static Set<String> exportedSeries() {
        var feed = new io.poolstate.feed.metrics.FeedMetrics();
        feed.whitelistSize(Map.of("uniswap_v3", 1));
        feed.malformed("nats");
        feed.threadFailure("follower");
        feed.event(io.poolstate.dex.event.EventKind.values()[0]);
        feed.whitelistLatency.record(java.time.Duration.ofMillis(5));
        feed.reorgDepth.record(1);
        var arena = new io.poolstate.arena.ArenaMetrics();
        var whitelist = new io.poolstate.whitelist.WhitelistMetrics();
        whitelist.stage("filter", 5);
        whitelist.updates("full");
        whitelist.tokens("list", 1);
        whitelist.sourceSkips("list", 1);
        whitelist.sourceFailures("list");
        whitelist.messageBytes(new io.poolstate.whitelist.publish.WhitelistPublisher.Sent(1, 1, 1, 1));
        whitelist.runSucceeded(3);
        var whales = new io.poolstate.whales.WhaleMetrics();
        whales.snapshot("complete", 5, 1, new io.poolstate.eth.rpc.JsonRpcClient.Traffic(2, 1));
        whales.failure("attempt");
        Set<String> out = new TreeSet<>();
        for (String scrape : List.of(feed.scrape(), arena.scrape(), whitelist.scrape(), whales.scrape())) {
            scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.replaceAll("[{ ].*", "")).forEach(out::add);
        }
        return out;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private record Run(int exit, String out) {
    }

    private static Run run(ProcessBuilder pb) throws Exception {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
