using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>Frees intermediate tensors as soon as a network stage is done, as PyTorch's reference counting does.</summary>
public static class DisposeScopes
{
    /// <summary>
    /// Runs <paramref name="stage"/> in its own dispose scope and keeps only its result, in the caller's scope. Without
    /// this, every activation of a forward pass lives until the training step's or scoring batch's scope ends, which
    /// raises peak memory well above PyTorch's. Autograd keeps what a backward pass needs whatever is disposed here.
    /// </summary>
    /// <param name="stage">Computes the stage's output.</param>
    /// <returns>The output.</returns>
    public static Tensor KeepResult(Func<Tensor> stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        using var scope = torch.NewDisposeScope();
        return stage().MoveToOuterDisposeScope();
    }
}
