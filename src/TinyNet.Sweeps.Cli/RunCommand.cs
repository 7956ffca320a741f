using System.CommandLine;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Hosting;
using TinyNet.Sweeps.Reports;

namespace TinyNet.Sweeps.Cli;

internal static class RunCommand
{
    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("FILE") { Description = "The sweep file (YAML, W&B syntax)." };
        var output = new Option<string?>("--out") { Description = "Output folder; default results/<sweep name>/. Trials already there are reused." };
        var silos = new Option<int>("--silos") { Description = "Silos of the embedded cluster.", DefaultValueFactory = _ => 1 }
            .InRange(1, OptionChecks.MaxSilos, "each is a whole Orleans host");
        var workers = new Option<int?>("--workers") { Description = "Training workers per silo; default: the cores shared among the silos." }.Workers();
        var top = new Option<int>("--top") { Description = "Rows of the ranking printed (all rows are in ranking.md).", DefaultValueFactory = _ => 20 }
            .InRange(1, int.MaxValue);
        var logJson = new Option<string?>("--log-json") { Description = "Also write every log event as JSON lines to this file." }.WritableFile();
        var telemetry = new Option<string?>("--telemetry") { Description = "OpenTelemetry exporter: none, console or otlp (default from TINYNET_TELEMETRY__EXPORTER or appsettings.json, else none)." };
        var otlpEndpoint = new Option<string?>("--otlp-endpoint") { Description = "OTLP endpoint, e.g. http://localhost:4317." };
        var verbose = new Option<bool>("--verbose") { Description = "Debug-level logs." };
        var report = new Option<bool>("--report") { Description = "Also write the offline HTML report (report.html) and PNG plots into the output folder." };

        var command = new Command("run", "Run a sweep on an embedded Orleans cluster in this process and print the ranked configurations.")
        {
            file, output, silos, workers, top, logJson, telemetry, otlpEndpoint, verbose, report,
        };
        command.SetAction(async (parse, _) =>
        {
            int siloCount = parse.GetValue(silos);
            int workersPerSilo = parse.GetValue(workers) ?? Math.Max(1, Environment.ProcessorCount / siloCount);
            if (siloCount * workersPerSilo > OptionChecks.MaxWorkers)
                throw new UsageException($"--silos {siloCount} × --workers {workersPerSilo} is {siloCount * workersPerSilo} training workers; " +
                                         $"the whole embedded cluster takes {OptionChecks.WorkersRule}.");
            var telemetryOptions = Settings.Telemetry(parse.GetValue(telemetry), parse.GetValue(otlpEndpoint));

            var plan = SweepLoading.Load(parse.GetValue(file)!, io);
            if (plan is null) return ExitCodes.InvalidInput;
            string outDir = parse.GetValue(output) ?? SweepNames.DefaultResultsDirectory(plan.Name);
            // Everything is checked before the cluster starts: the folder is ours and writable, the trials fit in memory.
            using var folder = ResultsFolderLock.Acquire(outDir, $"tinynet-sweeps run {parse.GetValue(file)}");
            RunPreflight.Check(plan, siloCount * workersPerSilo, outDir, io);
            foreach (string moved in EngineChange.SetAsideOtherEngines(folder)) io.Error.WriteLine($"warning: {moved}");
            var resume = ResumeCheck.Select(TrialLog.Read(outDir), plan.IsListed ? plan.ListedTrials : null);
            foreach (string warning in resume.Warnings) io.Error.WriteLine($"warning: {warning}");

            await using var log = CommandLog.Start(io, new LogOptions
            {
                Level = parse.GetValue(verbose) ? LogEventLevel.Debug : LogEventLevel.Information,
                JsonFile = parse.GetValue(logJson),
            });
            var stop = io.Signals.WindDownGracefully();
            SweepRunOutcome outcome;
            await using (var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
            {
                Silos = siloCount,
                WorkersPerSilo = workersPerSilo,
                Telemetry = telemetryOptions,
                Logger = log.Logger,
            }))
            {
                log.Logger.Information("Embedded cluster up: {Silos} silo(s) × {Workers} training worker(s)", cluster.Silos, cluster.WorkersPerSilo);
                var runner = new SweepRunner(cluster.Client, log.Factory.CreateLogger<SweepRunner>());
                outcome = LiveProgress.IsAvailable(io)
                    ? await new LiveProgress(plan.Name, plan.Metric, plan.Total)
                        .ShowWhileAsync(LiveProgress.StandardError(), log.Route, progress => runner.RunAsync(plan, folder, resume.Reusable, progress, stop))
                    : await runner.RunAsync(plan, folder, resume.Reusable, new ProgressPrinter(plan.Total, log.Logger), stop);
            }

            io.Console.Write(Tables.Ranking(outcome.Ranking, parse.GetValue(top), io.Console.Profile.Width));
            if (outcome.Ranking.Rows.Count > parse.GetValue(top))
                io.Output.WriteLine($"... {outcome.Ranking.Rows.Count - parse.GetValue(top)} more rows in {Path.Combine(outDir, "ranking.md")}");
            io.Output.WriteLine($"{outcome.Ran} trials trained, {outcome.Reused} reused. Results in {Path.GetFullPath(outDir)} " +
                                "(trials.jsonl, ranking.csv, ranking.json, ranking.md).");
            if (parse.GetValue(report)) WriteReport(outDir, io);
            if (!outcome.Cancelled) return ExitCodes.Success;
            io.Error.WriteLine($"Interrupted: {plan.Total - outcome.Ran - outcome.Reused} trials did not finish. " +
                               "Run the same command again to resume; finished trials are reused.");
            return io.Signals.ExitCode;
        });
        return command;
    }

    /// <summary>The report of what the run wrote; a run stopped before any trial finished has nothing to report, which is not an error.</summary>
    private static void WriteReport(string outDir, CliIO io)
    {
        try
        {
            var files = ReportWriter.Write(outDir, null);
            foreach (string warning in files.Warnings) io.Error.WriteLine($"warning: {warning}");
            io.Output.WriteLine($"Report written to {files.Html}");
        }
        catch (ReportInputException e)
        {
            io.Error.WriteLine($"warning: no report: {e.Message}");
        }
    }
}
