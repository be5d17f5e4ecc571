using TorchSharp;
using TorchSharp.Modules;
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

    /// <summary>
    /// Runs the children of <paramref name="stages"/> in order, each in its own dispose scope, and releases each
    /// intermediate output once the next stage has used it: at any time only one stage's activations are alive, apart
    /// from what autograd keeps for a backward pass. <see cref="Sequential.forward"/> keeps them all until the
    /// caller's scope ends.
    /// </summary>
    /// <param name="stages">The stages; every child takes and returns one tensor.</param>
    /// <param name="input">The first stage's input; it is not released.</param>
    /// <returns>The last stage's output.</returns>
    public static Tensor ForwardStageByStage(Sequential stages, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(input);
        var x = input;
        foreach (var child in stages.children())
        {
            var (stage, stageInput) = ((torch.nn.Module<Tensor, Tensor>)child, x);
            x = KeepResult(() => stage.forward(stageInput));
            if (!ReferenceEquals(stageInput, input))
            {
                stageInput.Dispose();
            }
        }

        return x;
    }
}
