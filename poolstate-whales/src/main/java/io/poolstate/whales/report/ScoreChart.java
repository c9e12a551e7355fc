package io.poolstate.whales.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A line chart of the accumulation score (-100..100) over time, one line per window, written as SVG or PNG
 * (by the file's extension).
 */
public final class ScoreChart {
    private static final int W = 900;
    private static final int H = 400;
    private static final int PAD = 50;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};

    private final Map<String, List<Map.Entry<Instant, BigDecimal>>> series = new LinkedHashMap<>();

    public ScoreChart add(String window, List<Map.Entry<Instant, BigDecimal>> points) {
        series.put(window, points);
        return this;
    }

    /** Writes the chart; {@code .svg} or {@code .png}. */
    public void write(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".svg")) {
            Files.writeString(file, svg(), StandardCharsets.UTF_8);
        } else if (name.endsWith(".png")) {
            ImageIO.write(png(), "png", file.toFile());
        } else {
            throw new IllegalArgumentException("chart file must end in .svg or .png: file=" + file);
        }
    }

    public String svg() {
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H).append("\">\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n", PAD, H / 2, W - PAD, H / 2));
        b.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", PAD, PAD, W - 2 * PAD, H - 2 * PAD));
        b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\">+100</text><text x=\"%d\" y=\"%d\" font-size=\"12\">-100</text>%n",
                5, PAD + 4, 5, H - PAD + 4));
        b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"14\">whale accumulation score</text>%n", PAD, PAD - 15));
        int c = 0;
        for (var e : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"");
            for (int[] p : points(e.getValue())) {
                b.append(p[0]).append(',').append(p[1]).append(' ');
            }
            b.append("\"/>\n");
            b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>%n", W - PAD - 120 + 40 * c, PAD - 15, color, e.getKey()));
            c++;
        }
        return b.append("</svg>\n").toString();
    }

    private BufferedImage png() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.DARK_GRAY);
        g.drawRect(PAD, PAD, W - 2 * PAD, H - 2 * PAD);
        g.drawString("+100", 5, PAD + 4);
        g.drawString("-100", 5, H - PAD + 4);
        g.drawString("whale accumulation score", PAD, PAD - 15);
        g.setColor(Color.GRAY);
        g.drawLine(PAD, H / 2, W - PAD, H / 2);
        g.setStroke(new BasicStroke(2f));
        int c = 0;
        for (var e : series.entrySet()) {
            g.setColor(Color.decode(COLORS[c % COLORS.length]));
            List<int[]> pts = points(e.getValue());
            for (int i = 1; i < pts.size(); i++) {
                g.drawLine(pts.get(i - 1)[0], pts.get(i - 1)[1], pts.get(i)[0], pts.get(i)[1]);
            }
            g.drawString(e.getKey(), W - PAD - 120 + 40 * c, PAD - 15);
            c++;
        }
        g.dispose();
        return img;
    }

    private List<int[]> points(List<Map.Entry<Instant, BigDecimal>> pts) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (var s : series.values()) {
            for (var p : s) {
                min = Math.min(min, p.getKey().getEpochSecond());
                max = Math.max(max, p.getKey().getEpochSecond());
            }
        }
        long range = Math.max(1, max - min);
        long fmin = min;
        return pts.stream().map(p -> new int[] {
            PAD + (int) ((p.getKey().getEpochSecond() - fmin) * (W - 2 * PAD) / range),
            H / 2 - p.getValue().multiply(BigDecimal.valueOf((H - 2 * PAD) / 2)).divide(BigDecimal.valueOf(100), java.math.RoundingMode.HALF_EVEN).intValue()
        }).toList();
    }
}
