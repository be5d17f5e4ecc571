using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Tensors.Tests.Optim;

/// <summary>
/// Learning rates after creation and after each step, against PyTorch 1.13, printed by:
/// <code>
/// def run(make, epochs):
///     p = torch.zeros(1, requires_grad=True)
///     opt = torch.optim.SGD([p], lr=0.1)
///     s = make(opt)
///     out = [s.get_last_lr()[0]]
///     for _ in range(epochs):
///         opt.step(); s.step(); out.append(s.get_last_lr()[0])
///     return out
/// </code>
/// PyTorch updates most rates recursively and this library in closed form, so they agree to rounding, not bit for bit.
/// </summary>
public class LRSchedulerTests
{
    public static TheoryData<string, Func<Optimizer, LRScheduler>, double[]> PyTorchSchedules => new()
    {
        {
            "StepLR(step_size=3, gamma=0.5)", o => new StepLR(o, 3, 0.5),
            [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]
        },
        {
            "ExponentialLR(gamma=0.9)", o => new ExponentialLR(o, 0.9),
            [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002, 0.05904900000000002, 0.05314410000000002]
        },
        {
            "CosineAnnealingLR(T_max=5, eta_min=0.001)", o => new CosineAnnealingLR(o, 5, 0.001),
            [0.1, 0.0905463412215599, 0.06579634122155989, 0.035203658778440096, 0.010453658778440105, 0.001, 0.010453658778440102, 0.03520365877844012, 0.06579634122155993, 0.09054634122155995, 0.10000000000000005, 0.09054634122155998, 0.06579634122155995]
        },
        {
            "LinearLR(start_factor=0.25, total_iters=4)", o => new LinearLR(o, 0.25, totalIters: 4),
            [0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.10000000000000002, 0.10000000000000002, 0.10000000000000002]
        },
        {
            "LambdaLR(lambda e: 1.0 / (e + 1))", o => new LambdaLR(o, e => 1.0 / (e + 1)),
            [0.1, 0.05, 0.03333333333333333, 0.025, 0.020000000000000004]
        },
    };

    [Theory]
    [MemberData(nameof(PyTorchSchedules))]
    public void Step_EachEpoch_MatchesPyTorch(string pytorch, Func<Optimizer, LRScheduler> create, double[] expected)
    {
        Assert.NotEmpty(pytorch);
        var optimizer = new SGD([Tensor.Zeros(1).WithRequiresGrad()], 0.1);
        var schedule = create(optimizer);
        var actual = new List<double> { schedule.LearningRate };
        for (var epoch = 1; epoch < expected.Length; epoch++)
        {
            optimizer.Step();
            schedule.Step();
            actual.Add(optimizer.LearningRate);
        }

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-15, $"epoch {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void LoadStateDict_AfterOptimizerResume_ContinuesTheSchedule()
    {
        var optimizer = new Adam([Tensor.Zeros(1).WithRequiresGrad()], 0.1);
        var schedule = new CosineAnnealingLR(optimizer, 10);
        for (var i = 0; i < 4; i++)
        {
            schedule.Step();
        }

        var saved = schedule.StateDict();
        var optimizerState = optimizer.StateDict();

        // A fresh process: the optimiser is created with the configured rate and restored, then the schedule.
        var restoredOptimizer = new Adam([Tensor.Zeros(1).WithRequiresGrad()], 0.1);
        restoredOptimizer.LoadStateDict(optimizerState);
        var restored = new CosineAnnealingLR(restoredOptimizer, 10);
        restored.LoadStateDict(saved);

        Assert.Equal(4, restored.LastEpoch);
        Assert.Equal(0.1, restored.BaseLearningRate);
        schedule.Step();
        restored.Step();
        Assert.Equal(optimizer.LearningRate, restoredOptimizer.LearningRate);
    }

    [Fact]
    public void LambdaLR_NegativeFactor_ThrowsNamingTheEpoch()
    {
        var optimizer = new SGD([Tensor.Zeros(1).WithRequiresGrad()], 0.1);
        var schedule = new LambdaLR(optimizer, e => 1 - e);
        schedule.Step();
        var ex = Assert.Throws<InvalidOperationException>(schedule.Step);
        Assert.Contains("epoch 2", ex.Message, StringComparison.Ordinal);
    }
}
