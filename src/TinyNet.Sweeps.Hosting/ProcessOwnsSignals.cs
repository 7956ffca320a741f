using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// A host lifetime that leaves Ctrl-C and SIGTERM to the process. The default ConsoleLifetime of every silo and client
/// host would swallow them (an embedded cluster has one per silo), which kept the process alive after a second Ctrl-C
/// and ignored SIGTERM. The command that owns the process decides what a signal means and stops its hosts itself.
/// </summary>
internal sealed class ProcessOwnsSignals : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class ProcessOwnsSignalsExtensions
{
    public static IServiceCollection AddProcessOwnedSignals(this IServiceCollection services) =>
        services.AddSingleton<IHostLifetime, ProcessOwnsSignals>();
}
