using System.Globalization;

namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// Updates a fixed list of parameters from their gradients, PyTorch's <c>torch.optim.Optimizer</c> with one
/// parameter group.
/// </summary>
/// <remarks>
/// Parameters whose <see cref="Tensor.Grad"/> is null are skipped, and their state is created at their first update,
/// as in PyTorch. Updates are written into the parameters' storage in place.
/// </remarks>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private readonly ParameterState?[] _state;
    private double _learningRate;

    private protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter.", nameof(parameters));
        }

        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (!parameter.IsLeaf)
            {
                throw new ArgumentException($"Parameter {i} (shape {ShapeUtil.Format(parameter.Shape)}) was produced by an operation; optimizers update leaf tensors only.", nameof(parameters));
            }

            if (!seen.Add(parameter))
            {
                throw new ArgumentException($"Parameter {i} appears more than once in the list; each would be updated twice per step.", nameof(parameters));
            }
        }

        _state = new ParameterState?[_parameters.Length];
        LearningRate = learningRate;
    }

    /// <summary>The parameters, in the order the state's indices refer to.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The step size; learning-rate schedules change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsPositiveInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and not negative.");
            }

            _learningRate = value;
        }
    }

    /// <summary>The names of the per-parameter buffers this optimiser keeps with its settings, as in PyTorch (<c>exp_avg</c>, …);
    /// every parameter that has state has all of them.</summary>
    private protected abstract IReadOnlyList<string> BufferNames { get; }

    /// <summary>Updates every parameter that has a gradient.</summary>
    /// <exception cref="InvalidOperationException">A gradient's shape differs from its parameter's.</exception>
    public void Step()
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.Grad is not { } gradient)
            {
                continue;
            }

            if (!gradient.SameShape(parameter))
            {
                throw new InvalidOperationException(
                    $"Parameter {i} has shape {ShapeUtil.Format(parameter.Shape)} but its gradient has shape {ShapeUtil.Format(gradient.Shape)}.");
            }

            Update(i, parameter.Data, gradient.Data);
        }
    }

    /// <summary>Clears every parameter's gradient (sets it to null).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Grad = null;
        }
    }

    /// <summary>A copy of the optimiser's state, independent of later steps.</summary>
    public OptimizerState StateDict()
    {
        var state = new OptimizerState(GetType().Name);
        state.Scalars["lr"] = LearningRate;
        foreach (var (name, value) in Hyperparameters())
        {
            state.Scalars[name] = value;
        }

        for (var i = 0; i < _state.Length; i++)
        {
            if (_state[i] is not { } s)
            {
                continue;
            }

            var prefix = i.ToString(CultureInfo.InvariantCulture) + ".";
            state.Scalars[prefix + "step"] = s.Step;
            foreach (var (name, buffer) in s.Buffers)
            {
                state.Tensors[prefix + name] = Tensor.FromArray((float[])buffer.Clone(), _parameters[i].ShapeArray());
            }
        }

        return state;
    }

    /// <summary>
    /// Replaces this optimiser's state with a copy of <paramref name="state"/>, including the learning rate. Nothing
    /// changes unless the whole state fits.
    /// </summary>
    /// <param name="state">A state from <see cref="StateDict"/> of an optimiser of the same type and hyper-parameters
    /// over parameters of the same shapes.</param>
    /// <exception cref="ArgumentException">The state is for another optimiser type, other hyper-parameters, or other
    /// parameters, or holds keys this optimiser does not know.</exception>
    public void LoadStateDict(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var kind = GetType().Name;
        if (state.Kind != kind)
        {
            throw new ArgumentException($"The state was saved by {state.Kind} and cannot be loaded into {kind}.", nameof(state));
        }

        if (!state.Scalars.TryGetValue("lr", out var learningRate))
        {
            throw new ArgumentException("The state has no learning rate ('lr').", nameof(state));
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { "lr" };
        foreach (var (name, value) in Hyperparameters())
        {
            known.Add(name);
            if (!state.Scalars.TryGetValue(name, out var saved))
            {
                throw new ArgumentException($"The state has no value for the hyper-parameter '{name}'.", nameof(state));
            }

            if (!saved.Equals(value))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The state was saved with {name} = {saved:R} but this {kind} has {name} = {value:R}."), nameof(state));
            }
        }

        var loaded = new ParameterState?[_parameters.Length];
        foreach (var (key, value) in state.Scalars)
        {
            if (known.Contains(key))
            {
                continue;
            }

            var (index, name) = ParseKey(key, nameof(state));
            if (name != "step" || value < 0 || value != Math.Floor(value))
            {
                throw new ArgumentException($"The state holds an unknown scalar '{key}' = {value}.", nameof(state));
            }

            (loaded[index] ??= new ParameterState()).Step = (long)value;
        }

        foreach (var (key, tensor) in state.Tensors)
        {
            var (index, name) = ParseKey(key, nameof(state));
            if (!BufferNames.Contains(name))
            {
                throw new ArgumentException($"The state holds '{key}', but {kind} keeps no buffer named '{name}'.", nameof(state));
            }

            var parameter = _parameters[index];
            if (tensor is null || !tensor.SameShape(parameter))
            {
                throw new ArgumentException(
                    $"The state's '{key}' has shape {(tensor is null ? "null" : ShapeUtil.Format(tensor.Shape))} but parameter {index} has shape {ShapeUtil.Format(parameter.Shape)}.",
                    nameof(state));
            }

            if (loaded[index] is null)
            {
                throw new ArgumentException($"The state holds '{key}' but no step count '{index}.step'.", nameof(state));
            }

            loaded[index]!.Buffers[name] = tensor.ToArray();
        }

        for (var i = 0; i < loaded.Length; i++)
        {
            foreach (var name in BufferNames)
            {
                if (loaded[i] is { } s && !s.Buffers.ContainsKey(name))
                {
                    throw new ArgumentException($"The state has a step count for parameter {i} but no '{i}.{name}'.", nameof(state));
                }
            }
        }

        LearningRate = learningRate;
        Array.Copy(loaded, _state, _state.Length);
    }

    /// <summary>The hyper-parameters besides the learning rate that a saved state must match, by PyTorch name.</summary>
    private protected abstract IEnumerable<(string Name, double Value)> Hyperparameters();

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    private protected abstract void Update(int index, float[] parameter, float[] gradient);

    /// <summary>The state of parameter <paramref name="index"/>, created empty at its first update.</summary>
    private protected ParameterState State(int index) => _state[index] ??= new ParameterState();

    private (int Index, string Name) ParseKey(string key, string paramName)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= _parameters.Length)
        {
            throw new ArgumentException(
                $"The state key '{key}' is neither a setting of {GetType().Name} nor '<index>.<name>' for one of its {_parameters.Length} parameters.", paramName);
        }

        return (index, key[(dot + 1)..]);
    }

    /// <summary>One parameter's step count and named buffers.</summary>
    private protected sealed class ParameterState
    {
        /// <summary>How many updates this parameter has had.</summary>
        public long Step { get; set; }

        /// <summary>The buffers by name, each with the parameter's element count.</summary>
        public OrderedDictionary<string, float[]> Buffers { get; } = new(StringComparer.Ordinal);

        /// <summary>The buffer <paramref name="name"/>, created as zeros when missing.</summary>
        public float[] Buffer(string name, int length)
        {
            if (!Buffers.TryGetValue(name, out var buffer))
            {
                buffer = new float[length];
                Buffers.Add(name, buffer);
            }

            return buffer;
        }
    }
}
