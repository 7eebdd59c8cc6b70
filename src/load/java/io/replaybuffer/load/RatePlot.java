package io.replaybuffer.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Offered rate against p99 of the accepted answers, one line per endpoint and server, drawn with JFreeChart. */
final class RatePlot {

    private RatePlot() {
    }

    /** Writes the PNG; {@code series} maps a line's name to its runs, in rising rate. */
    static void write(Path png, String title, Map<String, List<Tally.Result>> series, long limitMillis)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, runs) -> {
            XYSeries line = new XYSeries(name);
            // A run with no accepted answer has no p99: left out (the tables say so), not drawn as a fast one.
            // Below 0.1 ms is drawn at 0.1 ms, the floor of the log axis.
            runs.stream().filter(run -> run.accepted() > 0)
                    .forEach(run -> line.add(run.rate(), Math.max(0.1, run.p99())));
            data.addSeries(line);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title + " (runs without an accepted answer left out)", "offered rate (requests/s, constant arrival)",
                "p99 of accepted answers (ms, log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogarithmicAxis axis = new LogarithmicAxis("p99 of accepted answers (ms, log scale)");
        axis.setAllowNegativesFlag(false);
        plot.setRangeAxis(axis);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {new Color(0xC0392B), new Color(0x2980B9), new Color(0xD35400), new Color(0x27AE60)};
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, colours[i % colours.length]);
        }
        plot.setRenderer(renderer);
        ValueMarker limit = new ValueMarker(limitMillis, Color.RED, new BasicStroke(1.5f));
        limit.setLabel("target: p99 " + limitMillis + " ms");
        limit.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        limit.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(limit);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 520);
    }
}
