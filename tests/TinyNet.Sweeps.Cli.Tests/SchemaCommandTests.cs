using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Cli.Tests;

public sealed class SchemaCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Schema_prints_the_generated_schema()
    {
        var r = await Cli.Run("schema");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(SweepSchema.Generate(), r.Output);
        Assert.StartsWith("{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\"", r.Output);
        Assert.Equal("", r.Error);
    }

    [Fact]
    public async Task Schema_out_writes_the_file_the_repository_ships()
    {
        string path = _temp.File("sweep.schema.json");

        var r = await Cli.Run("schema", "--out", path);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"Schema written to {path}\n", r.Output.ReplaceLineEndings("\n"));
        Assert.Equal(File.ReadAllText(Path.Combine(Cli.RepoRoot(), "sweeps", SweepSchema.FileName)), File.ReadAllText(path));
    }

    [Fact]
    public async Task Schema_out_into_a_missing_folder_is_refused_in_one_line()
    {
        string path = Path.Combine(_temp.Path, "missing", "sweep.schema.json");

        var r = await Cli.Run("schema", "--out", path);

        Assert.True(r.ExitCode == ExitCodes.InvalidInput, r.ToString());
        Assert.StartsWith($"error: cannot write the schema to {path}: ", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Cli.NoStackTrace(r.Error);
        Assert.False(File.Exists(path));
    }
}
