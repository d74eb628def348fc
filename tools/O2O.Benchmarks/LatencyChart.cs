using ScottPlot;

namespace O2O.Benchmarks;

/// <summary>p50, p95 and p99 of each step as grouped bars, written as a PNG.</summary>
public static class LatencyChart
{
    private static readonly (double Percentile, Color Color)[] Series =
        [(50, Colors.SteelBlue), (95, Colors.Orange), (99, Colors.DarkRed)];

    public static void Save(string path, string title, LatencyBook latency, IReadOnlyList<string> steps)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < steps.Count; i++)
            for (var j = 0; j < Series.Length; j++)
                bars.Add(new Bar { Position = i * 4 + j, Value = latency.PercentileMs(steps[i], Series[j].Percentile), FillColor = Series[j].Color });
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. steps.Select((_, i) => i * 4 + 1.0)], [.. steps]);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("latency (ms)");
        plot.Title(title);
        foreach (var (percentile, color) in Series)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"p{percentile}", FillColor = color });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1100, 560);
    }
}
