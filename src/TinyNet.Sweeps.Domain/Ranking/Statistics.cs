namespace TinyNet.Sweeps.Domain.Ranking;

public static class Statistics
{
    /// <summary>Mean and sample standard deviation (n − 1; 0 for a single value).</summary>
    public static MetricSummary Summarise(IEnumerable<double> values)
    {
        var list = values as IReadOnlyList<double> ?? values.ToList();
        if (list.Count == 0) return new MetricSummary(double.NaN, double.NaN, 0);
        double mean = list.Average();
        double variance = list.Count > 1 ? list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1) : 0;
        return new MetricSummary(mean, Math.Sqrt(variance), list.Count);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
