using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

/// <summary>The element-wise, activation, softmax and loss cases of the PyTorch golden fixtures (tools/golden).</summary>
public class ElementwiseFixtureTests
{
    public static TheoryData<string> Cases => new()
    {
        "abs", "sqrt", "exp", "log", "pow_2.5", "clamp", "variance_unbiased_dims",
        "relu", "leaky_relu_0.2", "tanh", "sigmoid", "gelu", "softmax_dim1", "log_softmax_last",
        "l1_loss", "mse_loss_sum", "bce_with_logits",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_MatchesPyTorch(string name) => OpFixture.Load(name).Check(Operation(name));

    private static Func<Tensor[], Tensor> Operation(string name) => name switch
    {
        "abs" => t => t[0].Abs(),
        "sqrt" => t => t[0].Sqrt(),
        "exp" => t => t[0].Exp(),
        "log" => t => t[0].Log(),
        "pow_2.5" => t => t[0].Pow(2.5f),
        "clamp" => t => t[0].Clamp(-0.5f, 0.3f),
        "variance_unbiased_dims" => t => t[0].Variance([0, 2], keepDim: true, unbiased: true),
        "relu" => t => t[0].Relu(),
        "leaky_relu_0.2" => t => t[0].LeakyRelu(0.2f),
        "tanh" => t => t[0].Tanh(),
        "sigmoid" => t => t[0].Sigmoid(),
        "gelu" => t => t[0].Gelu(),
        "softmax_dim1" => t => Functional.Softmax(t[0], 1),
        "log_softmax_last" => t => Functional.LogSoftmax(t[0], -1),
        "l1_loss" => t => Functional.L1Loss(t[0], t[1]),
        "mse_loss_sum" => t => Functional.MseLoss(t[0], t[1], Reduction.Sum),
        "bce_with_logits" => t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No operation for this fixture."),
    };
}
