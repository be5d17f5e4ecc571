using System.Reflection;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Reliability.Tests.Lifetime;

/// <summary>
/// No library code hands LibTorch a scalar that a garbage collection may free during the call: under many predicting
/// threads that failed at random with "Expected false to be true" from <c>Scalar::toFloat</c>.
/// </summary>
public class ScalarLifetimeTests
{
    private static readonly Lazy<TemporaryScalarScan> Scan = new(() => new TemporaryScalarScan());

    public static TheoryData<string> LibraryAssemblies => new()
    {
        typeof(AnomalyDetectorBase<>).Assembly.GetName().Name!,
        typeof(SaganDetector).Assembly.GetName().Name!,
        typeof(PatchGanDetector).Assembly.GetName().Name!,
        typeof(AutoencoderDetector).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(LibraryAssemblies))]
    public void Library_PassesTheEngineNoTemporaryScalar(string assemblyName)
    {
        var findings = Scan.Value.Findings(Assembly.Load(assemblyName));

        Assert.True(findings.Count == 0, $"{findings.Count} calls pass a temporary scalar (use HeldScalars):\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Scan_FindsEachKindOfTemporaryInCodeThatMakesThem()
    {
        var findings = Scan.Value.Findings(typeof(ScalarLifetimeTests).Assembly)
            .Where(f => f.Contains($"({nameof(ScalarLifetimeTests)}.{nameof(MakesTemporaries)})", StringComparison.Ordinal))
            .ToList();

        Assert.Contains(findings, f => f.Contains("Tensor.op_Addition(Tensor, Tensor) passes a temporary scalar inside", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("Scalar.op_Implicit(Double): an implicit conversion", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("builds TorchSharp's LeakyReLU, whose overridden methods", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("builds TorchSharp's Adam, whose overridden methods", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("ToScalar(Double) makes a scalar that is passed on without being held", StringComparison.Ordinal));
        Assert.Equal(5, findings.Count);
        Assert.DoesNotContain(Scan.Value.Findings(typeof(ScalarLifetimeTests).Assembly), f => f.Contains(nameof(HoldsItsScalars), StringComparison.Ordinal));
    }

    // Scanned, never run: one call of each kind the scan must report.
    internal static void MakesTemporaries(Tensor x, IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        _ = x + x;
        _ = x.mul(0.5);
        _ = torch.nn.LeakyReLU(0.1);
        _ = torch.optim.Adam(parameters);
        _ = x.mul(0.5.ToScalar());
    }

    // Scanned, never run: the held forms the scan must accept.
    internal static void HoldsItsScalars(Tensor x)
    {
        using var half = 0.5.ToScalar();
        _ = x.mul(half);
        _ = x.Plus(x).Times(0.5);
    }
}
