namespace AnomalyDetection.Tensors;

/// <summary>
/// Whether operations record the autograd graph. Recording is on by default; <see cref="NoGrad"/> turns it off for
/// the current thread and asynchronous flow, which is what inference should do.
/// </summary>
public static class GradMode
{
    private static readonly AsyncLocal<bool> Disabled = new();

    /// <summary>True when operations record the graph for backward.</summary>
    public static bool IsEnabled => !Disabled.Value;

    /// <summary>Turns graph recording off until the returned scope is disposed.</summary>
    /// <example><code>using (GradMode.NoGrad()) { var y = model.Forward(x); }</code></example>
    public static Scope NoGrad() => new(enabled: false);

    /// <summary>Turns graph recording on until the returned scope is disposed (inside a <see cref="NoGrad"/> scope, for example).</summary>
    public static Scope EnableGrad() => new(enabled: true);

    /// <summary>Restores the previous recording state when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _previousDisabled;

        internal Scope(bool enabled)
        {
            _previousDisabled = Disabled.Value;
            Disabled.Value = !enabled;
        }

        /// <summary>Restores the recording state that held when the scope was created.</summary>
        public void Dispose() => Disabled.Value = _previousDisabled;
    }
}
