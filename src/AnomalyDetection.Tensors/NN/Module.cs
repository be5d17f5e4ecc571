using System.Globalization;

namespace AnomalyDetection.Tensors.NN;

/// <summary>
/// The base of every neural-network layer and model: it owns named parameters, buffers and sub-modules, which
/// subclasses register explicitly in their constructors, and gives them dotted names (<c>encoder.0.weight</c>) that
/// match the names PyTorch gives the same structure, so weights map one to one.
/// </summary>
/// <remarks>
/// Enumeration order follows PyTorch: a module's own parameters (or buffers) first, in registration order, then
/// each sub-module's in registration order, depth first. A module starts in training mode.
/// </remarks>
public abstract class Module
{
    private readonly OrderedDictionary<string, Tensor> _parameters = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Tensor> _buffers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _transientBuffers = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Module> _modules = new(StringComparer.Ordinal);

    /// <summary>True in training mode, false in evaluation mode; see <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers a trainable tensor under <paramref name="name"/> and marks it as requiring a gradient.</summary>
    /// <param name="name">A name unique within this module, without dots.</param>
    /// <param name="parameter">The tensor; the module keeps this instance and updates it in place on load.</param>
    /// <returns><paramref name="parameter"/>, so that a constructor can assign it to a property in one line.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already taken.</exception>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckNewName(name);
        if (!parameter.IsLeaf)
        {
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor; pass a tensor that no operation produced.", nameof(parameter));
        }

        parameter.RequiresGrad = true;
        _parameters.Add(name, parameter);
        return parameter;
    }

    /// <summary>Registers a state tensor that is not trained, such as a running mean.</summary>
    /// <param name="name">A name unique within this module, without dots.</param>
    /// <param name="buffer">The tensor; the module keeps this instance and updates it in place on load.</param>
    /// <param name="persistent">Whether the buffer is part of <see cref="StateDict"/>.</param>
    /// <returns><paramref name="buffer"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already taken.</exception>
    protected Tensor RegisterBuffer(string name, Tensor buffer, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckNewName(name);
        _buffers.Add(name, buffer);
        if (!persistent)
        {
            _transientBuffers.Add(name);
        }

        return buffer;
    }

    /// <summary>Registers a sub-module, whose parameters then appear under <c>name.</c>.</summary>
    /// <typeparam name="TModule">The sub-module's type.</typeparam>
    /// <param name="name">A name unique within this module, without dots.</param>
    /// <param name="module">The sub-module.</param>
    /// <returns><paramref name="module"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already taken.</exception>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException($"A module cannot register itself as its own sub-module '{name}'.", nameof(module));
        }

        _modules.Add(name, module);
        return module;
    }

    /// <summary>Every trainable tensor of this module and its sub-modules, each once even when shared.</summary>
    public IEnumerable<Tensor> Parameters()
    {
        foreach (var (_, parameter) in NamedParameters())
        {
            yield return parameter;
        }
    }

    /// <summary>Every trainable tensor with its dotted name, each once even when shared (under its first name).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => NamedMembers(static m => m._parameters);

    /// <summary>Every buffer with its dotted name, including those left out of <see cref="StateDict"/>.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => NamedMembers(static m => m._buffers);

    /// <summary>The direct sub-modules with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, module) in _modules)
        {
            yield return (name, module);
        }
    }

    /// <summary>This module (named "") and every module below it with its dotted name, depth first, each once.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(string Name, Module Module)>();
        stack.Push((string.Empty, this));
        while (stack.Count > 0)
        {
            var (name, module) = stack.Pop();
            if (!seen.Add(module))
            {
                continue;
            }

            yield return (name, module);

            // Pushed in reverse so that children pop in registration order.
            for (var i = module._modules.Count - 1; i >= 0; i--)
            {
                var (childName, child) = module._modules.GetAt(i);
                stack.Push((Join(name, childName), child));
            }
        }
    }

    /// <summary>The number of parameter elements, each shared tensor counted once.</summary>
    /// <param name="trainableOnly">Count only parameters that currently require a gradient.</param>
    public long ParameterCount(bool trainableOnly = false)
    {
        long count = 0;
        foreach (var parameter in Parameters())
        {
            if (!trainableOnly || parameter.RequiresGrad)
            {
                count += parameter.Count;
            }
        }

        return count;
    }

    /// <summary>Sets training mode on this module and every sub-module (dropout drops, batch norm uses batch statistics).</summary>
    /// <param name="training">True for training mode, false for evaluation mode.</param>
    public void Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules())
        {
            module.IsTraining = training;
        }
    }

    /// <summary>Sets evaluation mode on this module and every sub-module; the same as <c>Train(false)</c>.</summary>
    public void Eval() => Train(false);

    /// <summary>Clears the gradient of every parameter (sets it to null, which the optimisers skip).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters())
        {
            parameter.Grad = null;
        }
    }

    /// <summary>Turns gradient tracking of every parameter on or off, for example to freeze a discriminator.</summary>
    /// <param name="requiresGrad">Whether the parameters require gradients.</param>
    public void SetRequiresGrad(bool requiresGrad)
    {
        foreach (var parameter in Parameters())
        {
            parameter.RequiresGrad = requiresGrad;
        }
    }

    /// <summary>
    /// Every parameter and persistent buffer by dotted name, in PyTorch's order. A shared tensor appears under each
    /// of its names.
    /// </summary>
    /// <returns>Detached tensors that share storage with the module (no copy); clone them for a snapshot that later
    /// training does not change.</returns>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in StateEntries())
        {
            state.Add(name, tensor.Detach());
        }

        return state;
    }

    /// <summary>
    /// Copies tensors from <paramref name="stateDict"/> into this module's parameters and persistent buffers, in
    /// place, so that optimisers holding the parameters keep working. Nothing is copied unless every check passes.
    /// </summary>
    /// <param name="stateDict">Tensors by dotted name, as <see cref="StateDict"/> gives them.</param>
    /// <param name="strict">Require the keys to match exactly; when false, missing and unexpected keys are returned
    /// instead of reported as errors. Shape mismatches are errors either way.</param>
    /// <returns>The keys this module expected but did not find, and the keys it did not expect.</returns>
    /// <exception cref="StateDictMismatchException">Lists every missing key, unexpected key and shape mismatch.</exception>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var expected = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in StateEntries())
        {
            expected.Add(name, tensor);
        }

        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var (name, target) in expected)
        {
            if (!stateDict.TryGetValue(name, out var source))
            {
                missing.Add(name);
            }
            else if (source is null || !source.SameShape(target))
            {
                mismatched.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: expected shape {ShapeUtil.Format(target.Shape)} but got {(source is null ? "null" : ShapeUtil.Format(source.Shape))}"));
            }
        }

        var unexpected = new List<string>();
        foreach (var name in stateDict.Keys)
        {
            if (!expected.ContainsKey(name))
            {
                unexpected.Add(name);
            }
        }

        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            throw new StateDictMismatchException(GetType().Name, strict ? missing : [], strict ? unexpected : [], mismatched);
        }

        foreach (var (name, target) in expected)
        {
            if (stateDict.TryGetValue(name, out var source))
            {
                source!.Span.CopyTo(target.AsSpan());
            }
        }

        return new StateDictLoadResult(missing, unexpected);
    }

    private IEnumerable<(string Name, Tensor Tensor)> StateEntries()
    {
        // No de-duplication here: like PyTorch, a tensor shared by two modules is saved under both names.
        var stack = new Stack<(string Prefix, Module Module)>();
        stack.Push((string.Empty, this));
        while (stack.Count > 0)
        {
            var (prefix, module) = stack.Pop();
            foreach (var (name, parameter) in module._parameters)
            {
                yield return (Join(prefix, name), parameter);
            }

            foreach (var (name, buffer) in module._buffers)
            {
                if (!module._transientBuffers.Contains(name))
                {
                    yield return (Join(prefix, name), buffer);
                }
            }

            for (var i = module._modules.Count - 1; i >= 0; i--)
            {
                var (childName, child) = module._modules.GetAt(i);
                stack.Push((Join(prefix, childName), child));
            }
        }
    }

    private IEnumerable<(string Name, Tensor Tensor)> NamedMembers(Func<Module, OrderedDictionary<string, Tensor>> members)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, tensor) in members(module))
            {
                if (seen.Add(tensor))
                {
                    yield return (Join(prefix, name), tensor);
                }
            }
        }
    }

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid member name: dots separate the levels of a dotted name.", nameof(name));
        }

        if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name) || _modules.ContainsKey(name))
        {
            throw new ArgumentException($"{GetType().Name} already has a parameter, buffer or sub-module named '{name}'.", nameof(name));
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
