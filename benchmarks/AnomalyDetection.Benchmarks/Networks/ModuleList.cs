using System.Globalization;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>Holds sub-modules under their positions ("0", "1", …), so names match PyTorch's <c>nn.ModuleList</c>.</summary>
internal sealed class ModuleList<TModule> : Module
    where TModule : Module
{
    private readonly List<TModule> _items = [];

    public ModuleList(IEnumerable<TModule> items)
    {
        foreach (var item in items)
        {
            _items.Add(RegisterModule(_items.Count.ToString(CultureInfo.InvariantCulture), item));
        }
    }

    public int Count => _items.Count;

    public TModule this[int index] => _items[index];
}
