using AnomalyDetection.Tensors.Optim;
using AnomalyDetection.Tensors.Serialization;

namespace AnomalyDetection.Tensors.Tests.Optim;

public class OptimizerStateTests
{
    public static TheoryData<string> Kinds => ["Adam", "AdamW", "RMSprop", "SGD"];

    private static Optimizer Create(string kind, Tensor p) => kind switch
    {
        "Adam" => new Adam([p], 0.05, beta1: 0.5, weightDecay: 0.01),
        "AdamW" => new AdamW([p], 0.05),
        "RMSprop" => new RMSprop([p], 0.01, momentum: 0.9, centered: true),
        "SGD" => new SGD([p], 0.05, momentum: 0.9, nesterov: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LoadStateDict_ResumesBitExactly(string kind)
    {
        var uninterrupted = Problem.Start();
        Problem.Run(Create(kind, uninterrupted), uninterrupted, 6);

        var p = Problem.Start();
        var optimizer = Create(kind, p);
        Problem.Run(optimizer, p, 3);
        var parameters = p.ToArray();
        var state = optimizer.StateDict();
        Problem.Run(optimizer, p, 2); // training on must not change the snapshot

        var resumedParameter = Tensor.FromArray(parameters, Problem.Size).WithRequiresGrad();
        var resumed = Create(kind, resumedParameter);
        resumed.LearningRate = 123;
        resumed.LoadStateDict(state);
        Assert.Equal(optimizer.LearningRate, resumed.LearningRate);
        Problem.Run(resumed, resumedParameter, 3);

        Assert.Equal(uninterrupted.ToArray(), resumedParameter.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SaveStateAsync_ThroughSafetensors_ResumesBitExactly(string kind)
    {
        var uninterrupted = Problem.Start();
        Problem.Run(Create(kind, uninterrupted), uninterrupted, 5);

        var p = Problem.Start();
        var optimizer = Create(kind, p);
        Problem.Run(optimizer, p, 2);
        using var stream = new MemoryStream();
        await optimizer.SaveStateAsync(stream);
        stream.Position = 0;

        var resumed = Create(kind, p);
        await resumed.LoadStateAsync(stream);
        Problem.Run(resumed, p, 3);
        Assert.Equal(uninterrupted.ToArray(), p.ToArray());
    }

    [Fact]
    public void StateDict_UsesPyTorchNames()
    {
        var p = Problem.Start();
        var adam = new Adam([p], 0.1);
        Problem.Run(adam, p, 2);
        var state = adam.StateDict();
        Assert.Equal("Adam", state.Kind);
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq"], state.Tensors.Keys.Order());
        Assert.Equal(2, state.Scalars["0.step"]);
        Assert.Equal(0.1, state.Scalars["lr"]);
        Assert.Equal(0.999, state.Scalars["beta2"]);
    }

    [Fact]
    public void LoadStateDict_OtherKind_Throws()
    {
        var p = Problem.Start();
        var state = new Adam([p]).StateDict();
        var ex = Assert.Throws<ArgumentException>(() => new AdamW([p]).LoadStateDict(state));
        Assert.Contains("saved by Adam", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadStateDict_OtherHyperparameters_ThrowsNamingThem()
    {
        var p = Problem.Start();
        var state = new Adam([p], beta1: 0.5).StateDict();
        var ex = Assert.Throws<ArgumentException>(() => new Adam([p], beta1: 0.9).LoadStateDict(state));
        Assert.Contains("beta1 = 0.5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("beta1 = 0.9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadStateDict_WrongShapeOrUnknownKeys_ThrowAndKeepTheOldState()
    {
        var p = Problem.Start();
        var adam = new Adam([p], 0.1);
        Problem.Run(adam, p, 1);
        var good = adam.StateDict();

        var wrongShape = adam.StateDict();
        wrongShape.Tensors["0.exp_avg"] = Tensor.Zeros(3);
        Assert.Contains("[3]", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(wrongShape)).Message, StringComparison.Ordinal);

        var unknownBuffer = adam.StateDict();
        unknownBuffer.Tensors["0.momentum_buffer"] = Tensor.Zeros(Problem.Size);
        Assert.Contains("momentum_buffer", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(unknownBuffer)).Message, StringComparison.Ordinal);

        var outOfRange = adam.StateDict();
        outOfRange.Scalars["1.step"] = 1;
        Assert.Contains("'1.step'", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(outOfRange)).Message, StringComparison.Ordinal);

        var incomplete = adam.StateDict();
        incomplete.Tensors.Remove("0.exp_avg_sq");
        Assert.Contains("0.exp_avg_sq", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(incomplete)).Message, StringComparison.Ordinal);

        Assert.Equal(good.Tensors["0.exp_avg"].ToArray(), adam.StateDict().Tensors["0.exp_avg"].ToArray());
    }
}
