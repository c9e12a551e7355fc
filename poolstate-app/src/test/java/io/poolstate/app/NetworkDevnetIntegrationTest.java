package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.nats.NatsSettings;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whitelist, feed, arena and whale tracker started as four processes against a running devnet with
 * {@code --network devnet} and one configuration file — no address flags — go live: the whitelist publishes, the
 * arena serves live state from the feed, the whale tracker stores a snapshot; the whitelist's publication options
 * (duplicate window, message size, so lists go out in parts) reach NATS. The configuration carries credentials
 * in every URL and a NATS server that requires a password; no process prints any of them.
 */
class NetworkDevnetIntegrationTest {
    private static final String NATS_PASSWORD = "NatsPw-4e1f9c";
    private static final String RPC_PASSWORD = "RpcPw-77ab10";
    private static final String RPC_KEY = "RpcKey-c0ffee42";
    private static final String PG_PASSWORD = "PgPw-5150d";

    @Test
    void everyPartGoesLiveFromTheConfigurationFileAlone(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.isValid(2);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        String run = Long.toHexString(System.nanoTime());
        int arenaPort = freePort();
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(12, 4, 7, false));
             NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"),
                     "authorization { user: \"poolstate\", password: \"" + NATS_PASSWORD + "\" }\n")) {
            Files.writeString(dir.resolve("nats-password"), NATS_PASSWORD + "\n");
            Files.setPosixFilePermissions(dir.resolve("nats-password"), PosixFilePermissions.fromString("rw-------"));
            Path config = dir.resolve("poolstate.toml");
            Files.writeString(config, """
                    network = "devnet"
                    devnet-dir = "%s"
                    chain = "devnet%s"
                    rpc = "http://rpcuser:%s@127.0.0.1:%d/?apikey=%s"
                    nats = "%s"
                    nats-user = "poolstate"
                    nats-password-file = "%s"
                    postgres = "jdbc:postgresql://127.0.0.1:5432/test?password=%s"

                    [whitelist]
                    top-transfers-blocks = 200
                    interval = "5s"
                    confirmations = 0
                    min-depth-usd = "20000"
                    metrics = "off"
                    duplicate-window = "90s"
                    max-message-bytes = 1024

                    [feed]
                    socket = "%s"
                    metrics = "off"

                    [arena]
                    feed-socket = "%s"
                    http = "127.0.0.1:%d"

                    [whales]
                    token = "WETH"
                    interval = "10s"
                    confirmations = 0
                    schema = "whales_net_%s"

                    [whales.run]
                    http = "off"
                    metrics = "off"
                    """.formatted(dir.resolve("devnet"), run, RPC_PASSWORD, port, RPC_KEY, nats.url(), dir.resolve("nats-password"), PG_PASSWORD,
                    dir.resolve("feed.sock"), dir.resolve("feed.sock"), arenaPort, run));
            TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), devnet.deployment(), new TrafficGenerator.Options(10_000, 3, 3, 0, 1));
            AtomicBoolean trafficRunning = new AtomicBoolean(true);
            Thread trafficThread = null;
            try (PoolstateProcess whitelist = launcher("whitelist", dir, config, "whitelist");
                 PoolstateProcess feed = launcher("feed", dir, config, "feed");
                 PoolstateProcess arena = launcher("arena", dir, config, "arena");
                 PoolstateProcess whales = launcher("whales", dir, config, "whales", "run")) {
                whitelist.waitForLine("whitelist run: tokens=\\d+ candidates=\\d+ kept=[1-9]\\d* added=\\d+ removed=\\d+ published=[1-9]", Duration.ofSeconds(120));
                feed.waitForLine("feed started:", Duration.ofSeconds(60));
                trafficThread = Thread.ofPlatform().name("test-traffic").start(() -> traffic.run(new TrafficGenerator.Listener() {
                    @Override
                    public void onBlock(long number, List<io.poolstate.devnet.chain.DevChain.Mined> txs) {
                        try {
                            Thread.sleep(400);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }));
                HttpClient http = HttpClient.newHttpClient();
                String api = "http://127.0.0.1:" + arenaPort;
                JsonNode status = awaitLive(http, api, arena, feed);
                assertThat(status.get("pools").asInt()).isPositive();
                whales.waitForLine("whale snapshot: asset=", Duration.ofSeconds(120));

                // the publication options reach the stream, and lists split in parts reach feed and arena whole
                try (io.nats.client.Connection nc = new NatsSettings(nats.url(), null, null, null, "poolstate", NATS_PASSWORD, false, null, null, null).connect()) {
                    var stream = nc.jetStreamManagement().getStreamInfo(WhitelistSubjects.STREAM);
                    assertThat(stream.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofSeconds(90));
                    var first = nc.jetStreamManagement().getFirstMessage(WhitelistSubjects.STREAM, "whitelist.pools.devnet" + run + ".full");
                    assertThat(first.getHeaders().getFirst(WhitelistSubjects.UPDATE_HEADER)).as("the first full list went out in parts").startsWith("full 1/")
                            .doesNotEndWith("/1");
                    assertThat(first.getData().length).isLessThanOrEqualTo(1024);
                }
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("feed.sock")))).isEqualTo("rw-------");
                JsonNode pools = new ObjectMapper().readTree(get(http, api + "/v1/pools").body());
                String id = pools.get("pools").get(0).get("id").asText();
                assertThat(get(http, api + "/v1/pools/0xzz").statusCode()).isEqualTo(400);
                assertThat(get(http, api + "/v1/pools/" + id + "/quote?zero_for_one=maybe&amount_in=1").statusCode()).isEqualTo(400);
                assertThat(get(http, api + "/v1/pools/" + id + "/quote?zero_for_one=true&amount_in=1&amount_in=2").statusCode()).isEqualTo(400);
                assertThat(get(http, api + "/v1/pools/" + id + "/quote?zero_for_one=true&amount_in=1000").statusCode()).isEqualTo(200);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(api + "/v1/status")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

                // the preset checks out on the devnet: contracts, tokens and the init code hashes
                Run check = inProcess(config, "networks", "check");
                assertThat(check.exit).as(check.out).isZero();
                assertThat(check.out).contains("ok   chain_id").contains("ok   v2_pair_init_code_hash").contains("every check passed");
            } finally {
                traffic.stop();
                trafficRunning.set(false);
                if (trafficThread != null) {
                    trafficThread.join(20_000);
                }
            }
            for (String name : List.of("whitelist", "feed", "arena", "whales")) {
                String out = Files.readString(dir.resolve(name + ".log"));
                assertThat(out).as(name + "'s output").isNotBlank();
                for (String secret : List.of(NATS_PASSWORD, RPC_PASSWORD, RPC_KEY, PG_PASSWORD)) {
                    assertThat(out).as("%s's output names no secret", name).doesNotContain(secret);
                }
            }
        }
    }

    private static PoolstateProcess launcher(String name, Path dir, Path config, String... args) {
        return PoolstateProcess.builder(name, dir).env("POOLSTATE_CONFIG", config.toString()).args(args).start();
    }

    private static JsonNode awaitLive(HttpClient http, String api, PoolstateProcess arena, PoolstateProcess feed) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = get(http, api + "/health");
                last = health.statusCode() + " " + health.body();
                if (health.statusCode() == 200) {
                    JsonNode status = new ObjectMapper().readTree(get(http, api + "/v1/status").body());
                    last = status.toString();
                    if (status.path("pools").asInt() > 0) {
                        return status;
                    }
                }
            } catch (java.io.IOException notYet) {
                last = notYet.toString();
            }
            if (!arena.isAlive()) {
                throw new AssertionError("the arena exited:\n" + tail(arena));
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the arena did not go live with pools: last " + last + "\n" + tail(arena) + "\n--- feed\n" + tail(feed));
    }

    private static String tail(PoolstateProcess p) {
        List<String> lines = p.lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Run(int exit, String out) {
    }

    private static Run inProcess(Path config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        try {
            int exit = PoolstateCommand.execute(args, new PrintWriter(System.out, true), new PrintWriter(err), n -> n.equals("POOLSTATE_CONFIG") ? config.toString() : null);
            return new Run(exit, out.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setOut(before);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
