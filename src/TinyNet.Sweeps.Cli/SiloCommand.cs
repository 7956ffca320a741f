using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

internal static class SiloCommand
{
    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var siloPort = new Option<int?>("--silo-port") { Description = "Port for silo-to-silo traffic (or TINYNET_SILO__SILOPORT); default 11111." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Port clients connect to (or TINYNET_SILO__GATEWAYPORT); default 30000." };
        var advertise = new Option<string?>("--advertise") { Description = "IP address other machines reach this silo at (or TINYNET_SILO__ADVERTISE); default: Orleans picks this machine's." };
        var workers = new Option<int?>("--workers") { Description = "Trials trained at once on this silo (or TINYNET_SILO__WORKERS); default: its cores." };
        var name = new Option<string?>("--name") { Description = "This silo's name in logs and trials.jsonl (or TINYNET_SILO__NAME); default: machine name and silo port." };
        var logJson = new Option<string?>("--log-json") { Description = "Also write every log event as JSON lines to this file." }.WritableFile();
        var telemetry = new Option<string?>("--telemetry") { Description = "OpenTelemetry exporter: none, console or otlp (or TINYNET_TELEMETRY__EXPORTER)." };
        var otlpEndpoint = new Option<string?>("--otlp-endpoint") { Description = "OTLP endpoint (or TINYNET_TELEMETRY__OTLPENDPOINT)." };
        var command = new Command("silo", "Join (or form) a multi-machine cluster whose membership, grain state and reminders live in Redis; runs until stopped.")
        {
            siloPort, gatewayPort, advertise, workers, name, logJson, telemetry, otlpEndpoint,
        };
        cluster.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var config = Settings.Load().GetSection("Silo");
            var address = cluster.Address(parse);
            int silo = parse.GetValue(siloPort) ?? Settings.Int(config, "SiloPort") ?? 11111;
            var settings = new SiloSettings
            {
                Cluster = address,
                SiloPort = silo,
                GatewayPort = parse.GetValue(gatewayPort) ?? Settings.Int(config, "GatewayPort") ?? 30000,
                Advertise = ParseAddress(parse.GetValue(advertise) ?? config["Advertise"]),
                Workers = parse.GetValue(workers) ?? Settings.Int(config, "Workers") ?? Environment.ProcessorCount,
                Name = parse.GetValue(name) ?? config["Name"] ?? $"{Environment.MachineName}:{silo}",
            };
            if (settings.Workers < 1 || settings.Workers > OptionChecks.MaxWorkers)
                throw new UsageException($"--workers (or Silo:Workers) must be {OptionChecks.WorkersRule} (got {settings.Workers}).");
            var telemetryOptions = Settings.Telemetry(parse.GetValue(telemetry), parse.GetValue(otlpEndpoint));

            await using var log = CommandLog.Start(io, new LogOptions { JsonFile = parse.GetValue(logJson), Silo = settings.Name });
            // Ctrl-C and SIGTERM (docker stop, Kubernetes) leave the cluster cleanly: trials in training stop and are handed
            // back to their sweeps, which dispatch them to the other silos at once; a second signal quits at once.
            var stop = io.Signals.WindDownGracefully();
            using var host = RedisCluster.BuildSilo(settings, Settings.Load(), telemetryOptions, log.Logger);
            try
            {
                await host.StartAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                log.Logger.Information("Silo {Name} was stopped while joining the cluster", settings.Name);
                return io.Signals.ExitCode;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ClusterUnreachableException($"Silo {settings.Name} could not join cluster '{address.ClusterId}' (Redis {address.RedisShown}, " +
                    $"silo port {settings.SiloPort}, gateway port {settings.GatewayPort}): {e.Message.Split('\n')[0]}");
            }
            log.Logger.Information("Silo {Name} joined cluster {ClusterId} through Redis {Redis}: silo port {SiloPort}, gateway port {GatewayPort}, {Workers} training workers",
                settings.Name, address.ClusterId, address.RedisShown, settings.SiloPort, settings.GatewayPort, settings.Workers);
            var lost = host.Services.GetRequiredService<MembershipWatchdog>().Lost;
            await Task.WhenAny(lost, Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default));
            if (lost.IsCompleted && !stop.IsCancellationRequested)
            {
                log.Logger.Error("Silo {Name} leaves cluster {ClusterId}: {Reason}. Start it again to form the cluster anew (a supervisor does: " +
                          "restart: unless-stopped, a Kubernetes Deployment); sweeps that were running must be submitted again. " +
                          "Keep Redis persistence on (deploy/) so that a restarted Redis keeps the cluster's state",
                    settings.Name, address.ClusterId, await lost);
                // Orleans' shutdown keeps retrying its membership row, which no longer exists: give it a while, then
                // leave the process outright (training threads included), since only a new process can join again.
                try { await host.StopAsync(TimeSpan.FromSeconds(10)).WaitAsync(TimeSpan.FromSeconds(15)); }
                catch (Exception e) { log.Logger.Warning("Silo {Name} did not stop cleanly ({Error}); exiting", settings.Name, e.Message); }
                await log.DisposeAsync();
                // Not Environment.Exit: trials still training when the stop gave up would fail under it, and the
                // coordinator, on this silo too, would record them as failed before the process ended.
                ProcessExit.Now(ExitCodes.Failure);
                return ExitCodes.Failure;
            }
            log.Logger.Information("Silo {Name} is leaving the cluster", settings.Name);
            await host.StopAsync(TimeSpan.FromSeconds(30));
            return io.Signals.ExitCode;
        });
        return command;
    }

    private static IPAddress? ParseAddress(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return IPAddress.TryParse(text, out var address)
            ? address
            : throw new UsageException($"--advertise needs an IP address such as 10.0.0.5 (got '{text}').");
    }
}
