using TinyNet.Sweeps.Reports.Png;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>
/// This test assembly's entry point, unused by the test runner: `dotnet TinyNet.Sweeps.Reports.Tests.dll render-pngs
/// RESULTS OUT` writes the report's PNGs of RESULTS into OUT. PngTextTests starts it with the machine's fonts hidden.
/// </summary>
internal static class FontlessRenderer
{
    public static int Main(string[] args)
    {
        if (args is not ["render-pngs", var results, var output])
        {
            Console.Error.WriteLine("usage: render-pngs RESULTS OUT");
            return 2;
        }
        var written = PngPlots.WriteAll(ReportData.Load(results), output);
        Console.WriteLine($"wrote {written.Count} PNGs");
        return 0;
    }
}
