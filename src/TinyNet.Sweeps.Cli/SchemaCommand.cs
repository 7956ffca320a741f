using System.CommandLine;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Cli;

/// <summary>Prints or writes the JSON Schema of sweep files, generated from the reader's own tables (see <see cref="SweepSchema"/>).</summary>
internal static class SchemaCommand
{
    public static Command Create(CliIO io)
    {
        var output = new Option<string?>("--out", "-o") { Description = $"Write the schema to this file instead of printing it (the repository ships it as sweeps/{SweepSchema.FileName})." };
        var command = new Command("schema", "Print the JSON Schema of sweep files, which editors (VS Code's YAML extension, JetBrains IDEs) use to complete and check them.") { output };
        command.SetAction(parse =>
        {
            string schema = SweepSchema.Generate();
            if (parse.GetValue(output) is not { } path)
            {
                io.Output.Write(schema);
                return ExitCodes.Success;
            }
            try
            {
                File.WriteAllText(path, schema);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"cannot write the schema to {path}: {e.Message}");
            }
            io.Output.WriteLine($"Schema written to {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
