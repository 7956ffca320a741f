using System.Text;
using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>Files made to break the reader: each is refused with one positioned error, never an exception.</summary>
public class HostileInputTests
{
    private const string Header = "method: grid\nparameters:\n  epochs: {value: 10}\n";

    // Before the pre-scan, this file killed the process with a stack overflow inside YamlDotNet.
    [Fact]
    public void Flow_nesting_50000_deep_is_refused_at_the_first_node_too_deep()
    {
        var d = SingleError("a: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        Assert.Equal("test.yaml:1:35: nested deeper than 32 levels; a sweep file needs at most 4", d.ToString());
    }

    [Fact]
    public void Block_nesting_too_deep_is_refused_at_the_first_node_too_deep()
    {
        var list = SingleError("a:\n" + string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n");
        Assert.Equal((2, 63), (list.Line, list.Column)); // the 32nd "- " opens level 33
        Assert.StartsWith("nested deeper than 32 levels", list.Message);

        var keys = new StringBuilder();
        for (int i = 0; i < 40; i++)
            keys.Append(new string(' ', i)).Append($"k{i}:\n");
        var map = SingleError(keys + new string(' ', 40) + "x\n");
        Assert.Equal((33, 33), (map.Line, map.Column)); // k32 starts the 33rd mapping
        Assert.StartsWith("nested deeper than 32 levels", map.Message);
    }

    [Fact]
    public void Nesting_of_32_levels_passes_the_scan()
    {
        // The top mapping, parameters, epochs and 29 lists: 32 levels; the reader then says what is wrong.
        var d = SingleError($"method: grid\nparameters:\n  epochs: {{value: {new string('[', 29)}1{new string(']', 29)}}}\n");
        Assert.StartsWith("epochs: value must be a single value, not a list", d.Message);
    }

    [Fact]
    public void Aliases_count_the_depth_they_repeat()
    {
        var yaml = new StringBuilder("a0: &a0 [[[[[[[[[[1]]]]]]]]]]\n"); // 11 levels with the top mapping
        for (int i = 1; i < 4; i++)
            yaml.Append($"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]\n"); // 10 more each: a3 reaches 41
        var d = SingleError(yaml.ToString());
        Assert.Equal((4, 19), (d.Line, d.Column));
        Assert.Equal("alias *a2 repeats a node that ends up nested deeper than 32 levels; a sweep file needs at most 4", d.Message);
    }

    [Fact]
    public void Alias_loops_forward_aliases_and_aliased_lists_in_keys_are_refused()
    {
        var loop = SingleError("a: &x [1, *x]\n");
        Assert.Equal((1, 11), (loop.Line, loop.Column));
        Assert.StartsWith("alias *x is used inside the node it names", loop.Message);

        var forward = SingleError("a: *x\nb: &x 1\n");
        Assert.Equal((1, 4), (forward.Line, forward.Column));
        Assert.StartsWith("alias *x names no anchor defined before it", forward.Message);

        // Ten such keys would hash 2^10 copies of the list; thirty, a billion.
        var key = SingleError("a: &x [1, 2]\nb: &y [*x, *x]\n? [*y, *y]\n: 1\n");
        Assert.Equal((3, 4), (key.Line, key.Column));
        Assert.StartsWith("alias *y repeats a list or mapping inside a key", key.Message);

        Valid(Header.Replace("epochs: {value: 10}", "epochs: &e {values: [10, 20]}\n  hidden_units: *e"));
    }

    [Fact]
    public void A_syntax_error_found_by_the_pre_scan_is_a_positioned_syntax_error()
    {
        var d = SingleError("method: grid\nparameters: [1, 2\n");
        Assert.StartsWith("YAML syntax error", d.Message);
        Assert.Equal(3, d.Line);
    }

    // Found by the fuzz test: YamlDotNet throws these as InvalidOperationException and ArgumentException, not YamlException.
    [Fact]
    public void Yaml_errors_that_YamlDotNet_throws_as_other_exceptions_are_positioned_syntax_errors()
    {
        var indent = SingleError("method: grid\nparameters:\n  epochs: {values: [1,\n  2]}\n");
        Assert.Equal("test.yaml:4:3: YAML syntax error: a line inside [ ] or { } must be indented more than the key that holds them; indent it further", indent.ToString());

        var tag = SingleError("method: grid\nparameters:\n  epochs: [!!x]\n");
        Assert.Equal("test.yaml:3:12: YAML syntax error: Global tags must be valid URIs.", tag.ToString());
    }

    [Fact]
    public void A_file_over_1_MiB_is_refused_after_reading_1_MiB_and_one_byte()
    {
        using var dir = new TempDirectory();
        string big = dir.Write("big.yaml", Encoding.UTF8.GetBytes(Header + "#" + new string('x', SweepFile.MaxFileBytes)));
        var result = SweepFile.Load(big);
        Assert.Equal($"{big}:1:1: big.yaml is larger than 1 MiB; a sweep file is a few kilobytes", Assert.Single(result.Errors).ToString());

        byte[] justFits = Encoding.UTF8.GetBytes(Header + "#");
        justFits = [.. justFits, .. Enumerable.Repeat((byte)'x', SweepFile.MaxFileBytes - justFits.Length)];
        Assert.True(SweepFile.Load(dir.Write("fits.yaml", justFits)).IsValid);

        Assert.Contains("is larger than 1 MiB", Assert.Single(SweepFile.Parse(new string('#', SweepFile.MaxFileBytes + 1), "big.yaml").Errors).Message);
    }

    [Fact]
    public void Devices_and_directories_are_refused_without_reading_them_whole()
    {
        if (File.Exists("/dev/zero"))
            Assert.Equal("/dev/zero:1:1: zero is larger than 1 MiB; a sweep file is a few kilobytes", Assert.Single(SweepFile.Load("/dev/zero").Errors).ToString());
        using var dir = new TempDirectory();
        Assert.Equal($"cannot read the sweep file: {dir.Path} is a directory; give the path of a .yaml file", Assert.Single(SweepFile.Load(dir.Path).Errors).Message);
        Assert.Equal("cannot read the sweep file: file not found", Assert.Single(SweepFile.Load(Path.Combine(dir.Path, "missing.yaml")).Errors).Message);
    }

    [Fact]
    public void Invalid_utf8_is_refused_at_its_line_and_column()
    {
        using var dir = new TempDirectory();
        byte[] bytes = [.. Encoding.UTF8.GetBytes(Header + "name: caf\u00e9 "), 0xC3, 0x28, .. "\n"u8];
        var d = Assert.Single(SweepFile.Load(dir.Write("latin.yaml", bytes)).Errors);
        Assert.Equal((4, 12), (d.Line, d.Column)); // "é" is one column
        Assert.Equal("byte 0xC3 is not valid UTF-8; save the sweep file as UTF-8 text", d.Message);

        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Header)];
        Assert.Contains("(it looks like UTF-16)", Assert.Single(SweepFile.Load(dir.Write("utf16.yaml", utf16)).Errors).Message);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped()
    {
        using var dir = new TempDirectory();
        Assert.True(SweepFile.Load(dir.Write("bom.yaml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Header)])).IsValid);
        Assert.True(SweepFile.Parse("\uFEFF" + Header, "bom.yaml").IsValid);
    }

    [Fact]
    public void Control_characters_are_one_error_at_the_first_with_a_count()
    {
        var d = SingleError(Header + "name: a\0b\r\nx: \u0001\u001b\n");
        Assert.Equal((4, 8), (d.Line, d.Column));
        Assert.Equal("the file contains a NUL character (U+0000); a sweep file is plain text, whose only control characters are tab, line feed and carriage return (2 more control characters follow)", d.Message);
        Assert.StartsWith("the file contains the control character U+001B;", SingleError(Header + "\u001b").Message);
        Valid(Header.Replace("\n", "\r\n") + "# a comment\twith a tab\n");
    }

    [Fact]
    public void Only_the_50_earliest_errors_by_position_are_kept_and_the_rest_counted()
    {
        // Unknown top-level keys are found before the parameters above them: the kept 50 must still be the first lines.
        var yaml = new StringBuilder("method: grid\nparameters:\n");
        for (int i = 0; i < 100; i++) yaml.Append($"  bad{i}: {{value: 1}}\n");
        for (int i = 0; i < 100; i++) yaml.Append($"unknown{i}: 1\n");
        var result = SweepFile.Parse(yaml.ToString(), "many.yaml");
        Assert.Equal(SweepFile.MaxReportedErrors, result.Errors.Count);
        Assert.Equal(150, result.OmittedErrors);
        Assert.Equal(Enumerable.Range(3, 50), result.Errors.Select(e => e.Line));
        Assert.All(result.Errors, e => Assert.StartsWith("unknown parameter 'bad", e.Message));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Many_unknown_keys_are_read_in_bounded_work_with_bounded_errors()
    {
        var yaml = new StringBuilder(Header);
        for (int i = 0; yaml.Length < SweepFile.MaxFileBytes - 40; i++) yaml.Append($"unknown_key_{i}: 1\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = SweepFile.Parse(yaml.ToString(), "keys.yaml");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Work, not time (a loaded machine is slow, not wrong): about 320 bytes are allocated per byte of this 1 MB
        // file (335 MB); a reader that blows up on many keys would pass the bound (it once took 58 s on 59 MB).
        Assert.True(allocated < 1L << 30, $"reading allocated {allocated / 1048576.0:0} MiB");
        Assert.Equal(50, result.Errors.Count);
        Assert.True(result.OmittedErrors > 50_000, $"{result.OmittedErrors}");
        Assert.Equal(4, result.Errors[0].Line);
    }

    [Fact]
    public void Long_user_text_is_cut_in_messages()
    {
        var d = SingleError(Header + new string('k', 1000) + ": 1\n");
        Assert.True(d.Message.Length < 400, d.Message);
        Assert.StartsWith("unknown top-level key '" + new string('k', 60) + "…'", d.Message);
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sweep-hostile-").FullName;

        public string Write(string name, byte[] bytes)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
