using AnomalyDetection.Tensors.Optim;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Optim;

/// <summary>
/// Five steps on loss = Σ w·p² + Σ c·p over 19 elements (a Vector512 block, a Vector256 remainder miss and a scalar
/// tail), against PyTorch 1.13. The reference values were printed by:
/// <code>
/// n = 19
/// p0 = torch.tensor([(i - 9) * 0.37 for i in range(n)], dtype=torch.float32)
/// w = torch.tensor([0.5 + 0.1 * i for i in range(n)], dtype=torch.float32)
/// c = torch.tensor([((i * 7) % 5 - 2) * 0.3 for i in range(n)], dtype=torch.float32)
/// def run(make, steps=5):
///     p = p0.clone().requires_grad_()
///     opt = make([p])
///     for _ in range(steps):
///         opt.zero_grad()
///         loss = (w * p * p).sum() + (c * p).sum()
///         loss.backward()
///         opt.step()
///     return p.detach()
/// </code>
/// </summary>
public class OptimizerTests
{
    public static TheoryData<string, Func<IEnumerable<Tensor>, Optimizer>, float[]> PyTorchRuns => new()
    {
        {
            "Adam(lr=0.1)", ps => new Adam(ps, learningRate: 0.1),
            [-2.83129382f, -2.46180868f, -2.09267354f, -1.72233212f, -1.35371745f, -0.98344785f, -0.616769135f, -0.268992811f, 0.10043522f, -0.128892571f, 0.102537081f, 0.253176928f, 0.615428627f, 0.984820843f, 1.35309911f, 1.72282684f, 2.09212899f, 2.46171308f, 2.83160806f]
        },
        {
            "Adam(lr=0.05, betas=(0.5, 0.999), eps=1e-6, weight_decay=0.1)", ps => new Adam(ps, 0.05, beta1: 0.5, epsilon: 1e-6, weightDecay: 0.1),
            [-3.08167076f, -2.7122066f, -2.34302139f, -1.97274923f, -1.60396779f, -1.23379219f, -0.866257727f, -0.505693555f, -0.136452705f, -0.119236745f, 0.184286594f, 0.49986589f, 0.865349233f, 1.23486483f, 1.60345697f, 1.97319949f, 2.34253502f, 2.71210814f, 3.08199286f]
        },
        {
            "AdamW(lr=0.1, weight_decay=0.1)", ps => new AdamW(ps, 0.1, weightDecay: 0.1),
            [-2.67847729f, -2.32727122f, -1.97650659f, -1.62404859f, -1.27383327f, -0.921434939f, -0.573286176f, -0.24641037f, 0.107222483f, -0.125674516f, 0.102757104f, 0.228228658f, 0.571700096f, 0.923125863f, 1.27303839f, 1.62470448f, 1.97575343f, 2.32713628f, 2.67893195f]
        },
        {
            "RMSprop(lr=0.01)", ps => new RMSprop(ps, 0.01),
            [-3.01047182f, -2.64214492f, -2.2747035f, -1.9037267f, -1.53746712f, -1.16678202f, -0.804204464f, -0.462679356f, -0.0932084322f, -0.107142791f, 0.203044683f, 0.444818914f, 0.801442981f, 1.17009676f, 1.53586745f, 1.90512872f, 2.2731266f, 2.64184451f, 3.0115087f]
        },
        {
            "RMSprop(lr=0.01, alpha=0.9, momentum=0.9, centered=True, weight_decay=0.05)", ps => new RMSprop(ps, 0.01, alpha: 0.9, weightDecay: 0.05, momentum: 0.9, centered: true),
            [-2.98716927f, -2.61803532f, -2.24935174f, -1.87888157f, -1.51082432f, -1.14050734f, -0.774378717f, -0.418989241f, -0.0497025251f, -0.190965384f, 0.114007339f, 0.409930825f, 0.772948861f, 1.14221752f, 1.51000285f, 1.87960565f, 2.24855375f, 2.61787796f, 2.98769784f]
        },
        {
            "RMSprop(lr=0.01, momentum=0.5)", ps => new RMSprop(ps, 0.01, momentum: 0.5),
            [-2.79198146f, -2.42574644f, -2.06155729f, -1.68933082f, -1.32790756f, -0.956326067f, -0.603693128f, -0.304031372f, 0.0646281391f, -0.0889714435f, 0.185111552f, 0.259346426f, 0.597172201f, 0.964018166f, 1.32422256f, 1.69252908f, 2.0579679f, 2.4250679f, 2.79431129f]
        },
        {
            "RMSprop(lr=0.01, centered=True)", ps => new RMSprop(ps, 0.01, centered: true),
            [-3.00634313f, -2.63806725f, -2.27070451f, -1.8996973f, -1.53355372f, -1.16284716f, -0.80050528f, -0.459925741f, -0.0904724747f, -0.107142814f, 0.202850416f, 0.44146806f, 0.797655284f, 1.16626596f, 1.53190422f, 1.90114236f, 2.26907873f, 2.63775778f, 3.00741196f]
        },
        {
            "SGD(lr=0.1)", ps => new SGD(ps, 0.1),
            [-1.72062576f, -1.56208646f, -1.44536579f, -0.819345176f, -0.790745437f, -0.283270448f, -0.320476323f, -0.374240756f, 0.00767744845f, -0.0864116028f, 0.228571907f, 0.10759107f, -0.0153616993f, 0.2332993f, 0.0977698341f, 0.310963184f, 0.169996411f, 0.03416292f, 0.215124786f]
        },
        {
            "SGD(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)", ps => new SGD(ps, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
            [0.532885849f, 0.370451152f, 0.115618981f, 1.05218732f, 0.601213038f, 1.25434434f, 0.673526585f, 0.0771517754f, 0.459353626f, -0.186373994f, 0.0677046552f, -0.582829475f, -1.19867539f, -1.02740872f, -1.5971278f, -1.45005727f, -1.94708812f, -2.38109994f, -2.19833374f]
        },
        {
            "SGD(lr=0.1, momentum=0.9, nesterov=True)", ps => new SGD(ps, 0.1, momentum: 0.9, nesterov: true),
            [1.01100588f, 0.635270655f, 0.214081645f, 1.04521084f, 0.497778893f, 1.03997719f, 0.468459755f, -0.0460560955f, 0.309806585f, -0.147550881f, 0.140865117f, -0.232622504f, -0.534271955f, -0.252510786f, -0.469518781f, -0.191831023f, -0.334710866f, -0.431827873f, -0.144474119f]
        },
    };

    [Theory]
    [MemberData(nameof(PyTorchRuns))]
    public void Step_FiveSteps_MatchesPyTorch(string pytorch, Func<IEnumerable<Tensor>, Optimizer> create, float[] expected)
    {
        Assert.NotEmpty(pytorch);
        var p = Problem.Start();
        var optimizer = create([p]);
        Problem.Run(optimizer, p, 5);
        TensorAssert.Close(expected, p.Span, absolute: 2e-6, relative: 2e-6);
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsSkipped()
    {
        var trained = Problem.Start();
        var frozen = Tensor.Ones(3).WithRequiresGrad();
        var optimizer = new Adam([trained, frozen], 0.1);
        Problem.Run(optimizer, trained, 2);
        Assert.Equal([1f, 1f, 1f], frozen.ToArray());
        Assert.DoesNotContain(optimizer.StateDict().Scalars.Keys, k => k.StartsWith("1.", StringComparison.Ordinal));
    }

    [Fact]
    public void Step_LargeParameter_EachElementMatchesTheSameElementUpdatedAlone()
    {
        // 200,003 elements go through parallel chunks and vector blocks; the 37 elements copied from an odd offset go
        // through other lanes and the scalar tail. An element-wise update must give the same bits either way.
        const int Count = 200_003, Offset = 100_001, Length = 37;
        var large = TensorAssert.Random(11, Count).WithRequiresGrad();
        var largeGradient = TensorAssert.Random(12, Count);
        var small = Tensor.From(large.Span.Slice(Offset, Length), Length).WithRequiresGrad();
        var smallGradient = Tensor.From(largeGradient.Span.Slice(Offset, Length), Length);
        var optimizer = new RMSprop([large, small], 0.01, momentum: 0.9, centered: true);
        for (var i = 0; i < 3; i++)
        {
            large.Grad = largeGradient;
            small.Grad = smallGradient;
            optimizer.Step();
        }

        Assert.Equal(large.Span.Slice(Offset, Length).ToArray(), small.ToArray());
    }

    [Fact]
    public void ZeroGrad_ClearsGradients()
    {
        var p = Tensor.Ones(2).WithRequiresGrad();
        p.Grad = Tensor.Ones(2);
        new SGD([p], 0.1).ZeroGrad();
        Assert.Null(p.Grad);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        var p = Tensor.Ones(2).WithRequiresGrad();
        Assert.Throws<ArgumentException>(() => new Adam([]));
        Assert.Throws<ArgumentException>(() => new Adam([p, p]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], learningRate: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop([p], alpha: -0.1));
        Assert.Throws<ArgumentException>(() => new SGD([p], 0.1, momentum: 0.9, dampening: 0.5, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD([p * 2f], 0.1));
    }

    [Fact]
    public void Step_GradientOfWrongShape_Throws()
    {
        var p = Tensor.Ones(2).WithRequiresGrad();
        p.Grad = Tensor.Ones(3);
        var ex = Assert.Throws<InvalidOperationException>(() => new SGD([p], 0.1).Step());
        Assert.Contains("[3]", ex.Message, StringComparison.Ordinal);
    }
}
