namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Mean absolute error.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets of the same shape.</param>
    /// <param name="reduction">How to reduce.</param>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => throw Pending(nameof(L1Loss));

    /// <summary>Mean squared error.</summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets of the same shape.</param>
    /// <param name="reduction">How to reduce.</param>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => throw Pending(nameof(MseLoss));

    /// <summary>Binary cross-entropy on logits, computed stably: max(x,0) − x·t + log(1 + e^−|x|).</summary>
    /// <param name="logits">Unnormalised scores.</param>
    /// <param name="target">Targets in [0, 1], broadcastable to the logits.</param>
    /// <param name="reduction">How to reduce.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean) =>
        throw Pending(nameof(BinaryCrossEntropyWithLogits));
}
