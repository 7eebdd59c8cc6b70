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
            // A p99 of 0 ms (all under a millisecond) cannot go on a log axis: drawn at its resolution, 1 ms.
            runs.forEach(run -> line.add(run.rate(), Math.max(1, run.p99())));
            data.addSeries(line);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "offered rate (requests/s, constant arrival)",
                "p99 of accepted answers (ms, log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogarithmicAxis axis = new LogarithmicAxis("p99 of accepted answers (ms, log scale)");
        axis.setAllowNegativesFlag(false);
        plot.setRangeAxis(axis);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        ValueMarker limit = new ValueMarker(limitMillis, Color.RED, new BasicStroke(1.5f));
        limit.setLabel("target: p99 " + limitMillis + " ms");
        plot.addRangeMarker(limit);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 520);
    }
}
