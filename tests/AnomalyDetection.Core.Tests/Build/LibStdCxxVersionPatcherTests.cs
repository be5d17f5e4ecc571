namespace AnomalyDetection.Core.Tests.Build;

/// <summary>
/// The build step that lets TorchSharp's native library load with libstdc++ 12 (build/AnomalyDetection.TorchSharp.targets),
/// on the real libLibTorchSharp.so of the package folder: exactly the versions missing from a given libstdc++
/// become weak, nothing else changes, and the build output this test runs from was patched for this machine.
/// </summary>
public class LibStdCxxVersionPatcherTests
{
    private static readonly string PackagedLibrary = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void PackagedLibrary_NeedsGlibcxx3432Strictly()
    {
        var needs = LibStdCxxVersionPatcher.ReadLibStdCxxNeeds(File.ReadAllBytes(PackagedLibrary));

        Assert.Contains(("GLIBCXX_3.4.32", false), needs);
        Assert.Contains(("GLIBCXX_3.4", false), needs);
    }

    [Fact]
    public void WeakenMissing_LibStdCxx12Versions_MarksOnlyTheNewerOnesAndIsIdempotent()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(PackagedLibrary, copy);
        try
        {
            var before = File.ReadAllBytes(copy);
            var libStdCxx12 = Enumerable.Range(0, 31).Select(v => $"GLIBCXX_3.4.{v}").Append("GLIBCXX_3.4").Append("CXXABI_1.3").ToHashSet();
            libStdCxx12.UnionWith(Enumerable.Range(1, 13).Select(v => $"CXXABI_1.3.{v}"));

            var weakened = LibStdCxxVersionPatcher.WeakenMissing(copy, libStdCxx12);
            var again = LibStdCxxVersionPatcher.WeakenMissing(copy, libStdCxx12);

            Assert.Equal(["GLIBCXX_3.4.32"], weakened);
            Assert.Empty(again);
            var after = File.ReadAllBytes(copy);
            Assert.Equal(before.Length, after.Length);
            Assert.Equal(1, before.Zip(after).Count(p => p.First != p.Second));
            var needs = LibStdCxxVersionPatcher.ReadLibStdCxxNeeds(after);
            Assert.All(needs, n => Assert.Equal(n.Name == "GLIBCXX_3.4.32", n.Weak));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void WeakenMissing_EveryVersionAvailable_LeavesTheFileUntouched()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(PackagedLibrary, copy);
        try
        {
            var all = LibStdCxxVersionPatcher.ReadLibStdCxxNeeds(File.ReadAllBytes(copy)).Select(n => n.Name).ToHashSet();
            var written = File.GetLastWriteTimeUtc(copy);

            Assert.Empty(LibStdCxxVersionPatcher.WeakenMissing(copy, all));
            Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void BuildOutput_WeakensExactlyWhatThisMachinesLibStdCxxLacks()
    {
        var system = LibStdCxxVersionPatcher.FindSystemLibStdCxx();
        Assert.NotNull(system);
        var available = LibStdCxxVersionPatcher.ReadDefinedVersions(File.ReadAllBytes(system));
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);

        Assert.NotEmpty(output);
        Assert.Contains("GLIBCXX_3.4.30", available);
        foreach (var library in output)
        {
            Assert.All(LibStdCxxVersionPatcher.ReadLibStdCxxNeeds(File.ReadAllBytes(library)),
                n => Assert.True(n.Weak == !available.Contains(n.Name), $"{library}: {n.Name} weak={n.Weak}"));
        }
    }

    [Fact]
    public void ReadDefinedVersions_NotAnElfFile_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => LibStdCxxVersionPatcher.ReadDefinedVersions(new byte[100]));
    }
}
