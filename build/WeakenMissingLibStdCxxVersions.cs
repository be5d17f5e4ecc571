// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the build task below, and by the tests with
// ELF_PATCHER_WITHOUT_TASK defined (they exercise the patcher without MSBuild). The task factory compiles against
// .NET Standard 2.0, so this file uses only what that offers.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !ELF_PATCHER_WITHOUT_TASK
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the libstdc++ symbol versions that the build machine's libstdc++ lacks as weak in a copied
/// libLibTorchSharp.so, so that it loads on Debian 12 and Ubuntu 22.04 (libstdc++ 12). TorchSharp 0.107.0 asks for
/// GLIBCXX_3.4.32 for one symbol it never calls; a weak version need is checked but not enforced by the loader.
/// </summary>
public sealed class WeakenMissingLibStdCxxVersions : Task
{
    /// <summary>The copied native libraries to patch in place.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The system libstdc++ to compare with; the usual locations when empty.</summary>
    public string SystemLibStdCxx { get; set; } = string.Empty;

    public override bool Execute()
    {
        var system = string.IsNullOrEmpty(SystemLibStdCxx) ? LibStdCxxVersionPatcher.FindSystemLibStdCxx() : SystemLibStdCxx;
        if (system is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++ found; native libraries left as they are.");
            return true;
        }

        var available = LibStdCxxVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(system));
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var weakened = LibStdCxxVersionPatcher.WeakenMissing(path, available);
                if (weakened.Count > 0)
                {
                    Log.LogMessage(MessageImportance.Normal,
                        $"{path}: marked {string.Join(", ", weakened)} weak (not in {system}).");
                }
            }
            catch (InvalidDataException ex)
            {
                Log.LogWarning($"{path}: not patched: {ex.Message}");
            }
        }

        return !Log.HasLoggedErrors;
    }
}
#endif

/// <summary>Reads and edits the GNU version-need table of a 64-bit little-endian ELF file.</summary>
public static class LibStdCxxVersionPatcher
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe;
    private const uint SectionTypeVersionDefinition = 0x6ffffffd;
    private const ushort WeakFlag = 0x2;

    /// <summary>The usual places of the system's libstdc++, first that exists; null when none does.</summary>
    public static string? FindSystemLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The version names an ELF shared library defines (its .gnu.version_d table).</summary>
    public static HashSet<string> ReadDefinedVersions(byte[] elf)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in Sections(elf))
        {
            if (section.Type != SectionTypeVersionDefinition)
            {
                continue;
            }

            var strings = Sections(elf)[(int)section.Link].Offset;
            var offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // Verdef: version, flags, ndx, cnt (2 bytes each), hash, aux, next (4 bytes each).
                var aux = offset + ReadUInt32(elf, offset + 12);
                names.Add(ReadString(elf, strings + ReadUInt32(elf, aux)));
                var next = ReadUInt32(elf, offset + 16);
                if (next == 0)
                {
                    break;
                }

                offset += next;
            }
        }

        return names;
    }

    /// <summary>The libstdc++ version needs of an ELF file: name and whether it is already weak.</summary>
    public static IReadOnlyList<(string Name, bool Weak)> ReadLibStdCxxNeeds(byte[] elf)
    {
        var needs = new List<(string, bool)>();
        foreach (var (name, flagsOffset) in LibStdCxxNeeds(elf))
        {
            needs.Add((name, (ReadUInt16(elf, flagsOffset) & WeakFlag) != 0));
        }

        return needs;
    }

    /// <summary>
    /// Marks as weak every libstdc++ version that <paramref name="path"/> needs and <paramref name="available"/> lacks,
    /// rewriting the file only when something changes. Returns the versions marked.
    /// </summary>
    public static IReadOnlyList<string> WeakenMissing(string path, ISet<string> available)
    {
        var elf = File.ReadAllBytes(path);
        var weakened = new List<string>();
        foreach (var (name, flagsOffset) in LibStdCxxNeeds(elf))
        {
            var flags = ReadUInt16(elf, flagsOffset);
            if (available.Contains(name) || (flags & WeakFlag) != 0)
            {
                continue;
            }

            flags |= WeakFlag;
            elf[flagsOffset] = (byte)flags;
            elf[flagsOffset + 1] = (byte)(flags >> 8);
            weakened.Add(name);
        }

        if (weakened.Count > 0)
        {
            // Write beside and swap, so an interrupted build never leaves half a library.
            var temporary = path + ".weakening";
            File.WriteAllBytes(temporary, elf);
            File.Replace(temporary, path, null);
        }

        return weakened;
    }

    private static IEnumerable<(string Name, long FlagsOffset)> LibStdCxxNeeds(byte[] elf)
    {
        var sections = Sections(elf);
        foreach (var section in sections)
        {
            if (section.Type != SectionTypeVersionNeed)
            {
                continue;
            }

            var strings = sections[(int)section.Link].Offset;
            var offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // Verneed: version, cnt (2 bytes each), file, aux, next (4 bytes each).
                var count = ReadUInt16(elf, offset + 2);
                var file = ReadString(elf, strings + ReadUInt32(elf, offset + 4));
                var aux = offset + ReadUInt32(elf, offset + 8);
                for (var j = 0; j < count; j++)
                {
                    // Vernaux: hash (4), flags (2), other (2), name (4), next (4).
                    if (file.StartsWith("libstdc++", StringComparison.Ordinal))
                    {
                        yield return (ReadString(elf, strings + ReadUInt32(elf, aux + 8)), aux + 4);
                    }

                    var nextAux = ReadUInt32(elf, aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                var next = ReadUInt32(elf, offset + 12);
                if (next == 0)
                {
                    break;
                }

                offset += next;
            }
        }
    }

    private readonly struct Section
    {
        public Section(uint type, long offset, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Link = link;
            Info = info;
        }

        public uint Type { get; }
        public long Offset { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    private static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        var tableOffset = (long)ReadUInt64(elf, 0x28);
        var entrySize = ReadUInt16(elf, 0x3A);
        var count = ReadUInt16(elf, 0x3C);
        if (entrySize < 64 || tableOffset < 0 || tableOffset + ((long)entrySize * count) > elf.Length)
        {
            throw new InvalidDataException("section header table out of bounds");
        }

        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var at = tableOffset + ((long)i * entrySize);
            sections.Add(new Section(ReadUInt32(elf, at + 4), (long)ReadUInt64(elf, at + 24), ReadUInt32(elf, at + 40), ReadUInt32(elf, at + 44)));
        }

        return sections;
    }

    private static ushort ReadUInt16(byte[] data, long offset) =>
        (ushort)(data[Checked(data, offset, 2)] | (data[offset + 1] << 8));

    private static uint ReadUInt32(byte[] data, long offset) =>
        BitConverter.ToUInt32(data, (int)Checked(data, offset, 4));

    private static ulong ReadUInt64(byte[] data, long offset) =>
        BitConverter.ToUInt64(data, (int)Checked(data, offset, 8));

    private static long Checked(byte[] data, long offset, int size)
    {
        if (offset < 0 || offset + size > data.Length)
        {
            throw new InvalidDataException("offset out of bounds");
        }

        return offset;
    }

    private static string ReadString(byte[] data, long offset)
    {
        var end = Checked(data, offset, 1);
        while (end < data.Length && data[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(data, (int)offset, (int)(end - offset));
    }
}
