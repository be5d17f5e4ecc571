using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Tensors.Tests.Optim;

public class TrainingTests
{
    [Fact]
    public void AdamWithSchedule_FitsALinearMap_LossFallsHundredfold()
    {
        var random = new RandomSource(7);
        var model = new Sequential(new Linear(4, 8, random: random), new Tanh(), new Linear(8, 2, random: random));
        var x = Tensor.Uniform(random, -1, 1, 32, 4);
        var target = Tensor.FromArray([.. Enumerable.Range(0, 64).Select(i => x.Span[(i / 2 * 4) + (i % 2)] - (0.5f * x.Span[(i / 2 * 4) + 2]))], 32, 2);
        var optimizer = new Adam(model.Parameters(), 0.02);
        var schedule = new LinearLR(optimizer, 0.1, totalIters: 20);

        float Loss()
        {
            optimizer.ZeroGrad();
            var diff = model.Forward(x) - target;
            var loss = (diff * diff).Mean();
            loss.Backward();
            return loss.ToScalar();
        }

        var initial = Loss();
        var final = initial;
        for (var step = 0; step < 300; step++)
        {
            final = Loss();
            GradientClipping.ClipNorm(model.Parameters(), 1.0);
            optimizer.Step();
            schedule.Step();
        }

        Assert.True(final < initial / 100, $"loss went from {initial} to {final}");
    }
}
