using TorchSharp;

namespace TinyNet.Sweeps.Training;

/// <summary>Loads TorchSharp's native library once and pins libtorch to one intra-op thread per trial.</summary>
public static class TorchRuntime
{
    static readonly Lock Gate = new();
    static bool _initialized;

    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (!_initialized)
            {
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException(
                        "TorchSharp's native library (libLibTorchSharp.so) failed to load. On Debian 12 / Ubuntu 22.04 this is " +
                        "usually because TorchSharp 0.107 requires GLIBCXX_3.4.32 (GCC 13's libstdc++) and the system one is older. " +
                        "The build marks that requirement weak in the output copy (build/TorchSharpNativeFix.targets); make sure the " +
                        "app was built or published with it (look for 'TorchSharp native fix' in the build log, or build with " +
                        "-p:TorchSharpNativeFix=always). Original error: " + ex.Message, ex);
                }
                // The caller runs one trial per core; libtorch's own thread pool would only contend with that.
                torch.set_num_threads(1);
                _initialized = true;
            }
        }
        // libtorch's OpenMP thread count is per OS thread; set it on every training thread too (cheap).
        torch.set_num_threads(1);
    }
}
