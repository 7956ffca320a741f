using System.Runtime.InteropServices;
using TinyNet.Build;

namespace TinyNet.Sweeps.Training.Tests;

/// <summary>The build's ELF patcher (build/TorchSharpNativeFix.cs) on the real libLibTorchSharp.so.</summary>
public partial class NativeFixTests
{
    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int HardLink(string existing, string newPath);

    static string PackageCopy()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's native library is not at {path}");
        return path;
    }

    static string OutputCopy() => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Patch_sets_only_the_weak_flag_of_GLIBCXX_3_4_32()
    {
        byte[] original = File.ReadAllBytes(PackageCopy());
        byte[] patched = (byte[])original.Clone();

        var result = ElfVersionPatcher.MarkWeak(patched, ElfVersionPatcher.Version, out long offset);

        Assert.Equal(ElfPatchResult.Patched, result);
        var differences = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Equal([(int)offset], differences);
        Assert.Equal(original[offset] | 0x2, patched[offset]);

        // Idempotent: a second pass finds it weak and changes nothing.
        byte[] again = (byte[])patched.Clone();
        Assert.Equal(ElfPatchResult.AlreadyWeak, ElfVersionPatcher.MarkWeak(again, ElfVersionPatcher.Version, out _));
        Assert.Equal(patched, again);
    }

    [Fact]
    public void Other_versions_and_non_elf_input_are_left_alone()
    {
        byte[] bytes = File.ReadAllBytes(PackageCopy());
        Assert.Equal(ElfPatchResult.RequirementNotFound, ElfVersionPatcher.MarkWeak(bytes, "GLIBCXX_9.9.99", out _));
        Assert.Equal(ElfPatchResult.NotElf64, ElfVersionPatcher.MarkWeak(new byte[100], ElfVersionPatcher.Version, out _));
    }

    [Fact]
    public void Patching_a_hard_link_replaces_the_link_and_leaves_its_target_intact()
    {
        string dir = Directory.CreateTempSubdirectory("tinynet-nativefix").FullName;
        try
        {
            string source = Path.Combine(dir, "cache.so"), link = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(PackageCopy(), source);
            Assert.Equal(0, HardLink(source, link));
            byte[] before = File.ReadAllBytes(source);
            var stamp = File.GetLastWriteTimeUtc(source);

            Assert.Equal(ElfPatchResult.Patched, ElfVersionPatcher.PatchFile(link, ElfVersionPatcher.Version));

            Assert.Equal(before, File.ReadAllBytes(source));
            Assert.NotEqual(before, File.ReadAllBytes(link));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(link)); // keeps the SDK's incremental copy quiet
            Assert.Equal(ElfPatchResult.AlreadyWeak, ElfVersionPatcher.PatchFile(link, ElfVersionPatcher.Version));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Build_output_copy_is_patched_exactly_when_the_system_lacks_the_version()
    {
        Assert.True(File.Exists(OutputCopy()), $"no native library at {OutputCopy()}");
        bool systemHasIt = ElfVersionPatcher.SystemLibStdCxxHas(ElfVersionPatcher.Version, out _);
        byte[] output = File.ReadAllBytes(OutputCopy());

        var state = ElfVersionPatcher.MarkWeak(output, ElfVersionPatcher.Version, out _);

        Assert.Equal(systemHasIt ? ElfPatchResult.Patched : ElfPatchResult.AlreadyWeak, state);
        bool identicalToCache = File.ReadAllBytes(PackageCopy()).SequenceEqual(File.ReadAllBytes(OutputCopy()));
        Assert.Equal(systemHasIt, identicalToCache);
    }

    [Fact]
    public void The_NuGet_cache_copy_is_never_patched()
    {
        byte[] cache = File.ReadAllBytes(PackageCopy());
        Assert.Equal(ElfPatchResult.Patched, ElfVersionPatcher.MarkWeak(cache, ElfVersionPatcher.Version, out _));
    }
}
