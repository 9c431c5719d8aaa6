package dev.herald.demo.bench;

import java.util.List;
import java.util.Locale;

/**
 * The system benchmark's chart as a self-contained SVG: deliveries per second per mode as horizontal bars
 * beside the ceilings, with the ceiling as a line; below, p50 and p99 publish-to-received latency per mode
 * at half load, with the 50 ms target as a line. No library: a few rectangles and labels.
 */
final class SvgChart {
    /** One bar of the throughput panel; {@code ceiling} bars are drawn in the ceiling colour. */
    record Throughput(String label, double perSecond, boolean ceiling) {
    }

    /** One mode of the latency panel, in milliseconds. */
    record Latency(String label, double p50, double p99) {
    }

    private static final int WIDTH = 960;
    private static final int LABEL = 330;
    private static final int PLOT = WIDTH - LABEL - 110;
    private static final int BAR = 18;
    private static final int GAP = 8;
    private static final String FONT = "font-family=\"Helvetica, Arial, sans-serif\"";
    private static final String CEILING_COLOUR = "#9e9e9e";
    private static final String MODE_COLOUR = "#1f77b4";
    private static final String P50_COLOUR = "#2ca02c";
    private static final String P99_COLOUR = "#d62728";

    private SvgChart() {
    }

    static String render(String title, String subtitle, List<Throughput> bars, double ceiling, List<Latency> latencies,
                         double latencyTargetMs) {
        StringBuilder svg = new StringBuilder();
        int y = 70;
        int throughputHeight = bars.size() * (BAR + GAP) + 60;
        int latencyHeight = latencies.size() * (2 * BAR + GAP + 6) + 70;
        int height = y + throughputHeight + latencyHeight + 20;
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        text(svg, 20, 28, 18, "bold", "start", title);
        text(svg, 20, 50, 12, "normal", "start", subtitle);

        // Throughput.
        text(svg, 20, y + 4, 14, "bold", "start", "Deliveries per second (saturated); ceiling = fastest client, no store");
        y += 20;
        double max = Math.max(ceiling, bars.stream().mapToDouble(Throughput::perSecond).max().orElse(1)) * 1.05;
        int top = y;
        for (Throughput bar : bars) {
            double w = PLOT * bar.perSecond() / max;
            text(svg, LABEL - 8, y + BAR - 5, 12, "normal", "end", bar.label());
            rect(svg, LABEL, y, w, BAR, bar.ceiling() ? CEILING_COLOUR : MODE_COLOUR);
            String ratio = ceiling > 0 ? String.format(Locale.ROOT, " (%.2fx)", bar.perSecond() / ceiling) : "";
            text(svg, LABEL + w + 6, y + BAR - 5, 12, "normal", "start",
                    String.format(Locale.ROOT, "%,.0f/s%s", bar.perSecond(), ratio));
            y += BAR + GAP;
        }
        if (ceiling > 0) {
            double x = LABEL + PLOT * ceiling / max;
            line(svg, x, top - 4, x, y, "#555555");
            text(svg, x, y + 14, 11, "normal", "middle", String.format(Locale.ROOT, "ceiling %,.0f/s", ceiling));
        }
        y += 50;

        // Latency.
        text(svg, 20, y, 14, "bold", "start", "Publish-to-received latency at half the saturated rate (ms)");
        rect(svg, WIDTH - 250, y - 11, 12, 12, P50_COLOUR);
        text(svg, WIDTH - 234, y, 12, "normal", "start", "p50");
        rect(svg, WIDTH - 190, y - 11, 12, 12, P99_COLOUR);
        text(svg, WIDTH - 174, y, 12, "normal", "start", "p99");
        y += 16;
        double maxMs = Math.max(latencyTargetMs, latencies.stream().mapToDouble(Latency::p99).filter(Double::isFinite)
                .max().orElse(1)) * 1.05;
        top = y;
        for (Latency l : latencies) {
            text(svg, LABEL - 8, y + BAR + 2, 12, "normal", "end", l.label());
            bar(svg, y, l.p50(), maxMs, P50_COLOUR);
            bar(svg, y + BAR + 2, l.p99(), maxMs, P99_COLOUR);
            y += 2 * BAR + GAP + 6;
        }
        double x = LABEL + PLOT * latencyTargetMs / maxMs;
        line(svg, x, top - 4, x, y, "#555555");
        text(svg, x, y + 14, 11, "normal", "middle",
                String.format(Locale.ROOT, "target: p99 < %.0f ms", latencyTargetMs));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, int y, double ms, double maxMs, String colour) {
        double value = Double.isFinite(ms) ? ms : 0;
        double w = PLOT * Math.min(value, maxMs) / maxMs;
        rect(svg, LABEL, y, w, BAR, colour);
        text(svg, LABEL + w + 6, y + BAR - 5, 11, "normal", "start",
                Double.isFinite(ms) ? String.format(Locale.ROOT, "%.1f", ms) : "n/a");
    }

    private static void rect(StringBuilder svg, double x, double y, double w, double h, String fill) {
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y, Math.max(w, 1), h,
                fill));
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String stroke) {
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
                        + "stroke-dasharray=\"6,4\"/>%n", x1, y1, x2, y2, stroke));
    }

    private static void text(StringBuilder svg, double x, double y, int size, String weight, String anchor,
                             String value) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"%s\" text-anchor=\"%s\" %s>%s</text>%n",
                x, y, size, weight, anchor, FONT, escape(value)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
