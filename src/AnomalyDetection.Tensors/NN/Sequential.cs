using System.Globalization;

namespace AnomalyDetection.Tensors.NN;

/// <summary>
/// Applies its layers one after another. Layers added without a name are numbered by position ("0", "1", …), so
/// parameter names match PyTorch's <c>nn.Sequential</c> (<c>0.weight</c>, <c>2.bias</c>).
/// </summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> _layers = [];

    /// <summary>Creates an empty sequence; add layers with <see cref="Append(Module{Tensor, Tensor})"/>.</summary>
    public Sequential()
    {
    }

    /// <summary>Creates a sequence of numbered layers.</summary>
    /// <param name="layers">The layers, in order; they are named "0", "1", ….</param>
    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            Append(layer);
        }
    }

    /// <summary>Creates a sequence of named layers.</summary>
    /// <param name="layers">The layers with their names, in order.</param>
    public Sequential(params (string Name, Module<Tensor, Tensor> Layer)[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var (name, layer) in layers)
        {
            Append(name, layer);
        }
    }

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    /// <param name="index">The position, from 0.</param>
    public Module<Tensor, Tensor> this[int index] => _layers[index];

    /// <summary>Adds a layer at the end, named by its position.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This sequence.</returns>
    public Sequential Append(Module<Tensor, Tensor> layer) => Append(_layers.Count.ToString(CultureInfo.InvariantCulture), layer);

    /// <summary>Adds a named layer at the end.</summary>
    /// <param name="name">A name unique within this sequence, without dots.</param>
    /// <param name="layer">The layer.</param>
    /// <returns>This sequence.</returns>
    public Sequential Append(string name, Module<Tensor, Tensor> layer)
    {
        _layers.Add(RegisterModule(name, layer));
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }
}
