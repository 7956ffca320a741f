using TinyNet.Sweeps.Cli;

using var signals = StopSignals.Install(Console.Error);
return await CliApp.RunAsync(args, signals: signals);
