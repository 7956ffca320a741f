using TinyNet.Sweeps.Cli;

return await CliApp.RunAsync(args);
