using System.Diagnostics;
using AnomalyDetection.Tensors;

// Until the detectors land, the quick start shows the engine learning: a linear model fitted by gradient
// descent on synthetic data, printing the loss as it falls.
var random = new RandomSource(seed: 7);
var trueWeights = Tensor.FromArray([2f, -3f, 0.5f], 1, 3);
var inputs = Tensor.Normal(random, 0f, 1f, 256, 3);
var targets = (inputs * trueWeights).Sum([1], keepDim: true);

var weights = Tensor.Zeros(1, 3).WithRequiresGrad();
var clock = Stopwatch.StartNew();
for (var step = 0; step <= 200; step++)
{
    var error = (inputs * weights).Sum([1], keepDim: true) - targets;
    var loss = (error * error).Mean();
    weights.Grad = null;
    loss.Backward();
    using (GradMode.NoGrad())
    {
        var updated = weights.Detach() - (weights.Grad! * 0.1f);
        updated.Span.CopyTo(weights.AsSpan());
    }

    if (step % 40 == 0)
    {
        Console.WriteLine($"step {step,4}  loss {loss.ToScalar():F6}");
    }
}

Console.WriteLine($"fitted weights {weights}  (true: 2, -3, 0.5) in {clock.ElapsedMilliseconds} ms");
