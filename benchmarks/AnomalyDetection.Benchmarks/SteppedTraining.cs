using AnomalyDetection.Detection;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Runs a detector's public <see cref="IAnomalyDetector.Fit"/> one training step at a time, so that the benchmark
/// times exactly what an application's training does (batch assembly, the detector's own step, its loss checks)
/// without reaching into the detector. Fit runs on a thread of its own; the progress report that follows every step
/// blocks that thread until <see cref="Step"/> asks for the next one. Dispose cancels the run.
/// </summary>
/// <remarks>The detector must be configured for more steps than will be asked for, and to validate and checkpoint
/// rarely enough that no timed step does either.</remarks>
internal sealed class SteppedTraining : IDisposable
{
    // Autograd recursion and LibTorch's own frames are deeper than a default thread stack needs to be on every
    // platform; 64 MB is what the main thread gets on Linux.
    private const int StackBytes = 64 << 20;

    private readonly SemaphoreSlim _proceed = new(0);
    private readonly SemaphoreSlim _stepped = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private volatile bool _finished;
    private bool _disposed;
    private Exception? _failure;

    /// <summary>Starts training and waits until its first step (data preparation, network construction, warm-up) is done.</summary>
    public SteppedTraining(IAnomalyDetector detector, TrainingData data)
    {
        _thread = new Thread(() => Train(detector, data), StackBytes) { IsBackground = true, Name = "training " + detector.Kind };
        _thread.Start();
        WaitForStep();
    }

    /// <summary>Runs one more training step and returns when it is done.</summary>
    public void Step()
    {
        _proceed.Release();
        WaitForStep();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _proceed.Release();
        _thread.Join();
        _stop.Dispose();
        _proceed.Dispose();
        _stepped.Dispose();
    }

    private void Train(IAnomalyDetector detector, TrainingData data)
    {
        try
        {
            detector.Fit(data, new Pause(this), _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Dispose stopped it: the expected end.
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
        finally
        {
            _finished = true;
            _stepped.Release();
        }
    }

    private void WaitForStep()
    {
        _stepped.Wait();
        if (_finished)
        {
            throw new InvalidOperationException("Training ended before the benchmark was done with it.", _failure);
        }
    }

    /// <summary>Runs on the training thread after every step: reports it and waits for the go-ahead.</summary>
    private sealed class Pause(SteppedTraining owner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            owner._stepped.Release();
            owner._proceed.Wait();
        }
    }
}
