using AnomalyDetection.Randomness;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// Batches of a run's normal images in a new random order every epoch (the last batch of an epoch may be smaller),
/// drawn from the run's random source, which also drives augmentation. Its order and the source's position go into
/// checkpoints, so that a resumed run draws the same batches.
/// </summary>
public sealed class ShuffledBatches
{
    private const string OrderKey = "order";
    private const string RandomKey = "random";

    private readonly TrainingContext _context;
    private readonly int _batchSize;
    private int[] _order;

    /// <summary>Prepares batches of <paramref name="batchSize"/> (capped at the image count) of the context's normal images.</summary>
    /// <param name="context">The training images, the random source and the device.</param>
    /// <param name="batchSize">Images per batch; positive.</param>
    public ShuffledBatches(TrainingContext context, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _context = context;
        _batchSize = Math.Min(batchSize, context.Normal.Count);
        _order = Enumerable.Range(0, context.Normal.Count).ToArray();
        StepsPerEpoch = (context.Normal.Count + _batchSize - 1) / _batchSize;
    }

    /// <summary>Batches in one pass over the images.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The random source batches and augmentation draw from.</summary>
    public RandomSource Random => _context.Random;

    /// <summary>The number of steps of <paramref name="epochs"/> passes, or <paramref name="maxSteps"/> when set.</summary>
    public long TotalSteps(int epochs, long? maxSteps) => maxSteps ?? ((long)epochs * StepsPerEpoch);

    /// <summary>The (augmented) batch of step <paramref name="step"/> (from 0), on the context's device; steps must come in order.</summary>
    public Tensor Next(long step)
    {
        var position = (int)(step % StepsPerEpoch);
        if (position == 0)
        {
            Random.Shuffle(_order.AsSpan());
        }

        var start = position * _batchSize;
        var count = Math.Min(_batchSize, _order.Length - start);
        return _context.Normal.Batch(_order.AsSpan(start, count), Random).to(_context.Device);
    }

    /// <summary>Adds the epoch's order and the random source's position to a checkpoint.</summary>
    public void Save(TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.SetPermutation(OrderKey, _order);
        checkpoint.AddRandomSource(RandomKey, Random);
    }

    /// <summary>Restores them from a checkpoint.</summary>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _order = checkpoint.GetPermutation(OrderKey, _order.Length);
        checkpoint.RestoreRandomSource(RandomKey, Random);
    }
}
