using System.CommandLine;
using TinyNet.Sweeps.Reports;

namespace TinyNet.Sweeps.Cli;

internal static class ReportCommand
{
    public static Command Create(CliIO io)
    {
        var directory = new Argument<string>("DIR") { Description = "A results folder a sweep wrote (it holds trials.jsonl)." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the HTML page (default DIR/report.html); the PNG plots go to plots/ beside it." };
        var command = new Command("report", "Write an offline HTML report of a results folder (ranking, loss curves, stress tests, weights, Pareto front) and PNG plots.") { directory, output };
        command.SetAction(parse =>
        {
            ReportFiles files;
            try
            {
                files = ReportWriter.Write(parse.GetValue(directory)!, parse.GetValue(output));
            }
            catch (Exception e) when (e is ReportInputException or ReportOutputException)
            {
                // A folder that is not a sweep's, or an -o that cannot take the report: the user's to fix (exit 2).
                // A write that fails later (a full disk) is a ResultsWriteException: one line, exit 1.
                throw new UsageException(e.Message);
            }
            foreach (string warning in files.Warnings) io.Error.WriteLine($"warning: {warning}");
            io.Output.WriteLine($"Report written to {files.Html}");
            foreach (string png in files.Pngs) io.Output.WriteLine($"Plot written to {png}");
            return ExitCodes.Success;
        });
        return command;
    }
}
