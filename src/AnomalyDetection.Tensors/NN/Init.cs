namespace AnomalyDetection.Tensors.NN;

/// <summary>
/// Weight initialisation with PyTorch's distributions (<c>torch.nn.init</c>), drawn from a seeded
/// <see cref="RandomSource"/> so that a seed reproduces the weights bit for bit. Every method fills the tensor in
/// place and returns it.
/// </summary>
/// <remarks>
/// Layers take a <see cref="RandomSource"/> in their constructor; when they are given none they draw from the
/// source of the innermost <see cref="UseRandom"/> scope, so a whole model can be built under one seed:
/// <code>using (Init.UseRandom(new RandomSource(42))) { var net = new Sequential(new Conv2d(1, 8, 3), new ReLU()); }</code>
/// </remarks>
public static class Init
{
    private static readonly AsyncLocal<RandomSource?> Ambient = new();

    /// <summary>Makes <paramref name="random"/> the source that layers and initialisers use when given none, until the
    /// returned scope is disposed. Layers are then initialised in construction order from this one source.</summary>
    /// <param name="random">The seeded source.</param>
    public static RandomScope UseRandom(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new RandomScope(random);
    }

    /// <summary>The number of input and output connections of a weight (PyTorch's <c>_calculate_fan_in_and_fan_out</c>):
    /// dimension 1 and dimension 0 times the product of the remaining (kernel) dimensions.</summary>
    /// <param name="tensor">A weight of rank 2 or more: (out, in) for linear layers, (out, in, kH, kW) for convolutions.
    /// For a transposed convolution, whose weight is (in, out, kH, kW), this gives out·kH·kW as the fan-in, as PyTorch does.</param>
    /// <exception cref="ArgumentException">The tensor has rank below 2.</exception>
    public static (int FanIn, int FanOut) FanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException($"Fan-in and fan-out need a tensor of rank 2 or more, but got shape {ShapeUtil.Format(tensor.Shape)}.", nameof(tensor));
        }

        var receptiveField = ShapeUtil.Count(tensor.Shape[2..]);
        return (tensor.Size(1) * receptiveField, tensor.Size(0) * receptiveField);
    }

    /// <summary>The recommended gain for an activation (PyTorch's <c>calculate_gain</c>).</summary>
    /// <param name="nonlinearity">The activation.</param>
    /// <param name="negativeSlope">The negative slope, used only by <see cref="Nonlinearity.LeakyReLU"/>.</param>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3.0,
        Nonlinearity.ReLU => Math.Sqrt(2.0),
        Nonlinearity.LeakyReLU => Math.Sqrt(2.0 / (1 + (negativeSlope * negativeSlope))),
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Unknown nonlinearity."),
    };

    /// <summary>Kaiming (He) uniform: U(−b, b) with b = gain · √(3 / fan). PyTorch's layers use a = √5 with the
    /// default leaky-ReLU gain, which gives b = 1/√fan_in.</summary>
    /// <param name="tensor">The weight to fill, of rank 2 or more.</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (0 for ReLU).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The activation that sets the gain.</param>
    /// <param name="random">The source; defaults to the one of the current <see cref="UseRandom"/> scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, RandomSource? random = null)
    {
        var bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / SelectFan(tensor, mode));
        return Uniform(tensor, -bound, bound, random);
    }

    /// <summary>Kaiming (He) normal: N(0, σ²) with σ = gain / √fan.</summary>
    /// <param name="tensor">The weight to fill, of rank 2 or more.</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (0 for ReLU).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The activation that sets the gain.</param>
    /// <param name="random">The source; defaults to the one of the current <see cref="UseRandom"/> scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, RandomSource? random = null)
    {
        var std = Gain(nonlinearity, a) / Math.Sqrt(SelectFan(tensor, mode));
        return Normal(tensor, 0, std, random);
    }

    /// <summary>Xavier (Glorot) uniform: U(−b, b) with b = gain · √(6 / (fan_in + fan_out)).</summary>
    /// <param name="tensor">The weight to fill, of rank 2 or more.</param>
    /// <param name="gain">The scale factor.</param>
    /// <param name="random">The source; defaults to the one of the current <see cref="UseRandom"/> scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1.0, RandomSource? random = null)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound, random);
    }

    /// <summary>Xavier (Glorot) normal: N(0, σ²) with σ = gain · √(2 / (fan_in + fan_out)).</summary>
    /// <param name="tensor">The weight to fill, of rank 2 or more.</param>
    /// <param name="gain">The scale factor.</param>
    /// <param name="random">The source; defaults to the one of the current <see cref="UseRandom"/> scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1.0, RandomSource? random = null)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), random);
    }

    /// <summary>Fills with values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound; not below <paramref name="low"/>.</param>
    /// <param name="random">The source; defaults to the one of the current <see cref="UseRandom"/> scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor Uniform(Tensor tensor, double low, double high, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(low <= high))
        {
            throw new ArgumentException($"Uniform needs low <= high, but got low = {low} and high = {high}.", nameof(high));
        }

        Resolve(random, nameof(Uniform)).FillUniform(tensor.AsSpan(), (float)low, (float)high);
        return tensor;
    }

    /// <summary>Fills with values from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation, not negative.</param>
    /// <param name="random">The source; defaults to the one of the current <see cref="UseRandom"/> scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        Resolve(random, nameof(Normal)).FillNormal(tensor.AsSpan(), (float)mean, (float)std);
        return tensor;
    }

    /// <summary>Fills with <paramref name="value"/>.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.AsSpan().Fill(value);
        return tensor;
    }

    /// <summary>Fills with zeros.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Fills with ones.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    /// <summary>The given source, else the current scope's; names <paramref name="user"/> in the error when neither exists.</summary>
    internal static RandomSource Resolve(RandomSource? random, string user) =>
        random ?? Ambient.Value ?? throw new InvalidOperationException(
            $"{user} needs a RandomSource: pass one, or create it inside 'using (Init.UseRandom(new RandomSource(seed))) {{ … }}'.");

    /// <summary>PyTorch's default for weights: U(±1/√fan_in), which is Kaiming uniform with a = √5.</summary>
    internal static void DefaultWeight(Tensor weight, RandomSource random) =>
        KaimingUniform(weight, Math.Sqrt(5.0), random: random);

    /// <summary>PyTorch's default for biases: U(±1/√fan_in) with the fan-in of the layer's weight (0 when it has none).</summary>
    internal static void DefaultBias(Tensor bias, Tensor weight, RandomSource random)
    {
        var fanIn = FanInAndFanOut(weight).FanIn;
        var bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
        Uniform(bias, -bound, bound, random);
    }

    private static int SelectFan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        var fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0)
        {
            throw new ArgumentException($"Cannot initialise a tensor of shape {ShapeUtil.Format(tensor.Shape)}: its {mode} is 0.", nameof(tensor));
        }

        return fan;
    }

    /// <summary>Restores the previous ambient source when disposed.</summary>
    public readonly struct RandomScope : IDisposable
    {
        private readonly RandomSource? _previous;

        internal RandomScope(RandomSource random)
        {
            _previous = Ambient.Value;
            Ambient.Value = random;
        }

        /// <summary>Restores the source that was current when the scope was created.</summary>
        public void Dispose() => Ambient.Value = _previous;
    }
}
