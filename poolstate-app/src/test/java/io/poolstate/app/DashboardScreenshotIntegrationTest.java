package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arena's dashboard in a real browser: the demo runs (devnet, traffic, whitelist, feed, arena, whale tracker),
 * headless Chromium (Debian's chromium) loads {@code /dashboard}, runs its script against the live API and takes a
 * screenshot. The rendered page holds the live block, the pools, the whitelist's changes and the whale chart; the
 * screenshot is far from blank. The screenshot is kept as {@code target/dashboard.png}.
 */
class DashboardScreenshotIntegrationTest {
    @Test
    void dashboardRendersLiveDataInHeadlessChromium(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(chromium != null, "chromium not installed (./run-tests installs Debian's chromium)");
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.isValid(2);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        int devnetPort = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        int http;
        try (ServerSocket s = new ServerSocket(0)) {
            http = s.getLocalPort();
        }
        String base = "http://127.0.0.1:" + http;
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"));
             PoolstateProcess demo = PoolstateProcess.start("demo", dir, "demo", "--port", Integer.toString(devnetPort), "--blocks", "400",
                     "--block-time", "250", "--reorg-every", "15", "--http", "127.0.0.1:" + http, "--nats", nats.url(),
                     "--postgres", "jdbc:postgresql://127.0.0.1:5432/test", "--whitelist-interval", "5s", "--whale-interval", "5s")) {
            demo.waitForLine("demo: dashboard at " + base + "/dashboard", Duration.ofMinutes(3));
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            JsonNode d = null;
            String svg = "";
            while (System.nanoTime() < deadline) {
                d = new ObjectMapper().readTree(get(client, base + "/v1/dashboard"));
                svg = get(client, base + "/v1/dashboard/whales.svg");
                if (d.path("status").path("mode").asText().equals("live") && d.path("status").path("pools").asInt() > 0
                        && d.path("whitelist").path("snapshots").size() > 0 && svg.contains("<polyline")) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertThat(d.path("status").path("mode").asText()).as(d.toString()).isEqualTo("live");
            assertThat(svg).as("the whale score has points").contains("<polyline");
            assertThat(d.path("whitelist").path("snapshots").get(d.path("whitelist").path("snapshots").size() - 1).path("changes").size())
                    .as("the first snapshot lists its adds with reasons").isPositive();

            Path png = dir.resolve("dashboard.png");
            Run shot = chromium(chromium, dir, "--screenshot=" + png, "--window-size=1400,1200", base + "/dashboard");
            assertThat(Files.exists(png)).as(shot.out).isTrue();
            Files.copy(png, Path.of("target", "dashboard.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Run dom = chromium(chromium, dir, "--dump-dom", base + "/dashboard");
            assertThat(dom.exit).as(dom.out).isZero();
            String html = dom.out;
            assertThat(html).containsPattern("id=\"served\"[^>]*>\\d+<").containsPattern("class=\"badge (ok|warn)\">live<")
                    .containsPattern("<td>uniswap_v[234]</td>").contains("snapshot ").contains("<img class=\"chart\"");

            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(1400);
            Set<Integer> colours = new HashSet<>();
            long notBackground = 0;
            int background = 0x0f1419;
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    if (rgb != background) {
                        notBackground++;
                    }
                }
            }
            long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
            assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(100);
            assertThat((double) notBackground / sampled).as("share of the page that is not bare background").isGreaterThan(0.3);
        }
    }

    private static String get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private record Run(int exit, String out) {
    }

    private static Run chromium(Path chromium, Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=6000"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new Run(p.exitValue(), out + Files.readString(dir.resolve("chromium.err")));
    }
}
