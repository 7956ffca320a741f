using System.Diagnostics;
using ScottPlot;
using SkiaSharp;
using TinyNet.Sweeps.Reports.Png;

namespace TinyNet.Sweeps.Reports.Tests;

/// <summary>
/// The PNGs have their text whatever fonts the machine has: drawn in the font shipped inside the Reports assembly,
/// so the same plots rendered with every system font hidden are the same pixels.
/// </summary>
public class PngTextTests
{
    [Fact]
    public void Every_font_request_gets_the_shipped_font()
    {
        PlotFont.Register();
        Assert.Equal(PlotFont.Family, PlotFont.Regular.FamilyName);
        Assert.Same(PlotFont.Regular, Fonts.GetTypeface(Fonts.Default, bold: false, italic: false));
        Assert.Same(PlotFont.Bold, Fonts.GetTypeface(Fonts.Default, bold: true, italic: false));
        Assert.Same(PlotFont.Regular, Fonts.GetTypeface("No Such Font", bold: false, italic: true));
        Assert.True(PlotFont.Regular.ContainsGlyphs("±×→#0123456789 Training loss"), "the shipped font lacks a glyph the plots use");
    }

    /// <summary>
    /// Each kind of text is drawn: the plot against itself with that text made transparent (the same layout, no ink)
    /// differs by the text's pixels. Where no font can be had, text draws no ink and these are equal.
    /// </summary>
    [Fact]
    public void Titles_axis_labels_tick_labels_and_legends_draw_ink()
    {
        string results = ResultsFolder.Create();
        try
        {
            var drawn = Pixels(LossCurvesPng.Create(ReportData.Load(results))!);
            var hidden = new (string Text, Action<Plot> Hide)[]
            {
                ("title", p => p.Axes.Title.Label.ForeColor = Colors.Transparent),
                ("x axis label", p => p.Axes.Bottom.Label.ForeColor = Colors.Transparent),
                ("y tick labels", p => p.Axes.Left.TickLabelStyle.ForeColor = Colors.Transparent),
                ("legend", p => p.Legend.FontColor = Colors.Transparent),
            };
            foreach (var (text, hide) in hidden)
            {
                var plot = LossCurvesPng.Create(ReportData.Load(results))!;
                hide(plot.Plot);
                int differ = drawn.Zip(Pixels(plot)).Count(p => p.First != p.Second);
                Assert.True(differ > 100, $"the {text} drew only {differ} pixels");
            }
        }
        finally { Directory.Delete(results, recursive: true); }
    }

    [Fact]
    public void The_pngs_are_the_same_pixels_with_every_system_font_hidden()
    {
        string results = ResultsFolder.Create();
        string withFonts = Path.Combine(results, "with-fonts"), hidden = Path.Combine(results, "fonts-hidden");
        try
        {
            var ours = PngPlots.WriteAll(ReportData.Load(results), withFonts);
            string log = RenderWithFontsHidden(results, hidden);
            Assert.Contains("system font files visible: 0", log);
            Assert.Contains($"wrote {ours.Count} PNGs", log);
            foreach (string png in ours)
            {
                string other = Path.Combine(hidden, Path.GetFileName(png));
                Assert.True(File.Exists(other), $"{Path.GetFileName(png)} was not drawn with the fonts hidden:\n{log}");
                Assert.True(File.ReadAllBytes(png).AsSpan().SequenceEqual(File.ReadAllBytes(other)),
                    $"{Path.GetFileName(png)} differs with the system fonts hidden (its text is not all in the shipped font):\n{log}");
            }
        }
        finally { Directory.Delete(results, recursive: true); }
    }

    private static SKColor[] Pixels(PngPlot png)
    {
        using var bitmap = SKBitmap.Decode(png.Plot.GetImageBytes(png.Width, png.Height, ImageFormat.Png));
        return bitmap.Pixels;
    }

    /// <summary>
    /// Runs this assembly's <see cref="FontlessRenderer"/> in a mount namespace where every font folder is an empty
    /// tmpfs (unshare; root, or user namespaces for others). Fails with the reason where that cannot be done.
    /// </summary>
    private static string RenderWithFontsHidden(string results, string output)
    {
        if (!OperatingSystem.IsLinux()) throw new InvalidOperationException("hiding the system fonts needs Linux mount namespaces (unshare)");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] folders = ["/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".fonts"), Path.Combine(home, ".local/share/fonts")];
        string script = "set -e; for d in " + string.Join(' ', folders.Select(Quote)) + "; do [ -d \"$d\" ] && mount -t tmpfs tmpfs \"$d\"; done; " +
                        "echo \"system font files visible: $(find " + string.Join(' ', folders.Select(Quote)) + " -type f 2>/dev/null | wc -l)\"; " +
                        "exec \"$@\"";
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Environment.UserName != "root") start.ArgumentList.Add("--map-root-user");
        foreach (string arg in new[] { "--mount", "--propagation", "private", "sh", "-c", script, "sh",
                     DotnetHost(), typeof(FontlessRenderer).Assembly.Location, "render-pngs", results, output })
            start.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"could not start unshare to hide the system fonts ({e.Message}); install util-linux", e); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(120_000)) { process.Kill(entireProcessTree: true); throw new TimeoutException("rendering with the fonts hidden took over 2 minutes"); }
            string log = stdout.Result + stderr;
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"rendering with the system fonts hidden (unshare --mount, then tmpfs over each font folder) exited {process.ExitCode}: " +
                                                    $"it needs root or unprivileged user namespaces:\n{log}");
            return log;
        }
    }

    /// <summary>The dotnet host running the tests (the runner may be an app host of its own).</summary>
    private static string DotnetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
