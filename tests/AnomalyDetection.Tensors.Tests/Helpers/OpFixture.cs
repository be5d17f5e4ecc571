using AnomalyDetection.Tensors.Serialization;

namespace AnomalyDetection.Tensors.Tests.Helpers;

/// <summary>
/// A golden case written by tools/golden/make_op_fixtures.py: inputs <c>input.i</c>, the <c>output</c>, an upstream
/// gradient <c>grad_output</c> and the gradients <c>grad.i</c> of sum(output · grad_output), all float32 safetensors.
/// </summary>
public sealed class OpFixture
{
    private readonly Dictionary<string, Tensor> _tensors;

    private OpFixture(Dictionary<string, Tensor> tensors) => _tensors = tensors;

    /// <summary>Reads Fixtures/ops/<paramref name="name"/>.safetensors with the engine's own safetensors reader.</summary>
    public static OpFixture Load(string name) =>
        new(new Dictionary<string, Tensor>(SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ops", name + ".safetensors")).Tensors));

    /// <summary>
    /// Runs <paramref name="op"/> on the fixture's inputs and checks its output and, for every input the fixture has a
    /// gradient for, the gradient of sum(output · grad_output).
    /// </summary>
    public void Check(Func<Tensor[], Tensor> op, double absolute = 1e-5, double relative = 1e-4)
    {
        var inputs = new List<Tensor>();
        for (var i = 0; _tensors.ContainsKey($"input.{i}"); i++)
        {
            inputs.Add(_tensors[$"input.{i}"].Clone().WithRequiresGrad(_tensors.ContainsKey($"grad.{i}")));
        }

        var output = op([.. inputs]);
        TensorAssert.Close(_tensors["output"], output.Reshape(_tensors["output"].ShapeArray()), absolute, relative);
        (output * _tensors["grad_output"].Reshape(output.ShapeArray())).Sum().Backward();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (_tensors.TryGetValue($"grad.{i}", out var expected))
            {
                TensorAssert.Close(expected, inputs[i].Grad!, absolute, relative);
            }
        }
    }
}
