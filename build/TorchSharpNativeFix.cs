// Marks libLibTorchSharp.so's GLIBCXX_3.4.32 version requirement weak (see TorchSharpNativeFix.targets).
// This file is compiled twice: by RoslynCodeTaskFactory as an MSBuild task, and (with
// TORCHSHARP_NATIVE_FIX_NO_MSBUILD defined) into the training tests, which check the patcher on the real file.
// Keep it to C# 7.3 and netstandard2.0 APIs: that is what the inline task compiler targets.
#if TORCHSHARP_NATIVE_FIX_NO_MSBUILD
#nullable disable
#endif
using System;
using System.IO;
using System.Text;

namespace TinyNet.Build
{
    public enum ElfPatchResult { Patched, AlreadyWeak, RequirementNotFound, NotElf64 }

    /// <summary>Edits one flag in the ELF .gnu.version_r (Verneed) section; nothing else is changed.</summary>
    public static class ElfVersionPatcher
    {
        public const string Version = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        /// <summary>Patches <paramref name="bytes"/> in place; returns the byte offset of vna_flags or -1.</summary>
        public static ElfPatchResult MarkWeak(byte[] bytes, string versionName, out long flagsOffset)
        {
            flagsOffset = -1;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F'
                || bytes[4] != 2 /* ELFCLASS64 */ || bytes[5] != 1 /* little endian */)
                return ElfPatchResult.NotElf64;

            long shoff = (long)U64(bytes, 0x28);
            int shentsize = U16(bytes, 0x3A), shnum = U16(bytes, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (U32(bytes, sh + 4) != ShtGnuVerneed) continue;
                long secOff = (long)U64(bytes, sh + 24);
                uint link = U32(bytes, sh + 40), count = U32(bytes, sh + 44);
                long strOff = (long)U64(bytes, shoff + (long)link * shentsize + 24);

                long vn = secOff;
                for (uint n = 0; n < count; n++)
                {
                    int auxCount = U16(bytes, vn + 2);
                    long aux = vn + U32(bytes, vn + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        if (CString(bytes, strOff + U32(bytes, aux + 8)) == versionName)
                        {
                            flagsOffset = aux + 4;
                            ushort flags = U16(bytes, flagsOffset);
                            if ((flags & VerFlgWeak) != 0) return ElfPatchResult.AlreadyWeak;
                            flags |= VerFlgWeak;
                            bytes[flagsOffset] = (byte)flags;
                            bytes[flagsOffset + 1] = (byte)(flags >> 8);
                            return ElfPatchResult.Patched;
                        }
                        aux += U32(bytes, aux + 12);
                    }
                    vn += U32(bytes, vn + 12);
                }
            }
            return ElfPatchResult.RequirementNotFound;
        }

        /// <summary>
        /// Patches the file by writing a new file and renaming it over the old one, so a hard link or
        /// symlink into the NuGet cache is replaced, never written through. Keeps the timestamp so the
        /// SDK's incremental copy (size + time) treats the patched copy as up to date.
        /// </summary>
        public static ElfPatchResult PatchFile(string path, string versionName)
        {
            byte[] bytes = File.ReadAllBytes(path);
            long offset;
            ElfPatchResult result = MarkWeak(bytes, versionName, out offset);
            if (result != ElfPatchResult.Patched) return result;

            DateTime stamp = File.GetLastWriteTimeUtc(path);
            string temp = path + ".tinynet-patch.tmp";
            File.WriteAllBytes(temp, bytes);
            File.SetLastWriteTimeUtc(temp, stamp);
            if (File.Exists(path)) File.Delete(path); // unlinks a hard link or symlink without touching its target
            File.Move(temp, path);
            return result;
        }

        /// <summary>True if a libstdc++ on the usual loader paths defines the version (its name is in the file).</summary>
        public static bool SystemLibStdCxxHas(string versionName, out string checkedPath)
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            };
            byte[] needle = Encoding.ASCII.GetBytes("\0" + versionName + "\0");
            foreach (string candidate in candidates)
            {
                if (!File.Exists(candidate)) continue;
                checkedPath = candidate;
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
            checkedPath = null;
            return false;
        }

        static int IndexOf(byte[] hay, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= hay.Length; i++)
            {
                if (hay[i] != needle[0]) continue;
                int j = 1;
                while (j < needle.Length && hay[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        static ushort U16(byte[] b, long o) { return (ushort)(b[o] | b[o + 1] << 8); }
        static uint U32(byte[] b, long o) { return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        static ulong U64(byte[] b, long o) { return U32(b, o) | (ulong)U32(b, o + 4) << 32; }

        static string CString(byte[] b, long o)
        {
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

#if !TORCHSHARP_NATIVE_FIX_NO_MSBUILD
    /// <summary>MSBuild task: patches every libLibTorchSharp.so under the given directories.</summary>
    public class TorchSharpNativeFix : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string[] Directories { get; set; }

        /// <summary>auto (patch only if the system libstdc++ lacks the version), always, or never.</summary>
        public string Mode { get; set; }

        public override bool Execute()
        {
            string mode = string.IsNullOrEmpty(Mode) ? "auto" : Mode.ToLowerInvariant();
            if (mode == "never" || mode == "false") return true;

            string libstdcxx = null;
            if (mode == "auto" && ElfVersionPatcher.SystemLibStdCxxHas(ElfVersionPatcher.Version, out libstdcxx))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "TorchSharp native fix: not needed, " + libstdcxx + " has " + ElfVersionPatcher.Version);
                return true;
            }

            foreach (string dir in Directories)
            {
                if (!Directory.Exists(dir)) continue;
                foreach (string file in Directory.GetFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
                {
                    ElfPatchResult result = ElfVersionPatcher.PatchFile(file, ElfVersionPatcher.Version);
                    if (result == ElfPatchResult.Patched)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            "TorchSharp native fix: marked " + ElfVersionPatcher.Version + " weak in " + Path.GetFullPath(file)
                            + (mode == "always" ? " (forced)" : " (system libstdc++ lacks it)"));
                    else
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                            "TorchSharp native fix: " + file + ": " + result);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
