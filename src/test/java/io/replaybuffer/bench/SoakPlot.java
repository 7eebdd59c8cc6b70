package io.replaybuffer.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Heap after GC and resident memory over the soak's minutes, as a PNG for docs/benchmarks.md. */
final class SoakPlot {

    private SoakPlot() {
    }

    static void write(Path png, String title, List<SoakProbe.Sample> samples) throws IOException {
        XYSeries heap = new XYSeries("heap after full GC (MiB)");
        XYSeries rss = new XYSeries("resident memory (MiB)");
        XYSeries meta = new XYSeries("metaspace (MiB)");
        for (SoakProbe.Sample s : samples) {
            heap.add(s.minutes(), s.heapAfterGcMiB());
            rss.add(s.minutes(), s.rssMiB());
            meta.add(s.minutes(), s.metaspaceMiB());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(heap);
        data.addSeries(meta);
        data.addSeries(rss);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "minutes", "MiB", data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getXYPlot().getRangeAxis().setLowerBound(0);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 420);
    }
}
