using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Tensors.Tests.NN;

public class LayerTests
{
    [Fact]
    public void Layers_RegisterPyTorchMemberNamesAndShapes()
    {
        var random = new RandomSource(1);
        Assert.Equal(["weight", "bias"], new Conv2d(2, 3, 5, random: random).StateDict().Keys);
        Assert.Equal(["weight"], new Conv2d(2, 3, 5, hasBias: false, random: random).StateDict().Keys);
        Assert.Equal([2, 3, 4, 4], new ConvTranspose2d(2, 3, 4, random: random).Weight.ShapeArray());
        Assert.Equal([3, 2], new Linear(2, 3, random: random).Weight.ShapeArray());
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], new BatchNorm2d(4).StateDict().Keys);
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], new BatchNorm2d(4, affine: false).StateDict().Keys);
        Assert.Equal(["weight", "bias"], new BatchNorm2d(4, trackRunningStats: false).StateDict().Keys);
        Assert.Empty(new InstanceNorm2d(4).StateDict());
        Assert.Empty(new Dropout(0.3f, random).StateDict());
        Assert.Empty(new Sequential(new ReLU(), new LeakyReLU(), new Tanh(), new Sigmoid(), new GELU(), new Identity()).StateDict());
    }

    [Fact]
    public void Conv2d_WrongRank_NamesTheLayerAndShape()
    {
        var conv = new Conv2d(3, 8, 3, random: new RandomSource(1));
        var ex = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(3, 4)));
        Assert.Contains("Conv2d(3 → 8) expects input of rank 4 (N, C, H, W) but got shape [3, 4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvTranspose2d_WrongChannels_NamesTheLayerAndShape()
    {
        var deconv = new ConvTranspose2d(8, 4, 4, random: new RandomSource(1));
        var ex = Assert.Throws<ArgumentException>(() => deconv.Forward(Tensor.Zeros(1, 4, 5, 5)));
        Assert.Contains("expects 8 input channels but got shape [1, 4, 5, 5]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinearAndLayerNorm_WrongTrailingShape_Throw()
    {
        var linear = new Linear(4, 2, random: new RandomSource(1));
        Assert.Contains("(*, 4)", Assert.Throws<ArgumentException>(() => linear.Forward(Tensor.Zeros(2, 5))).Message, StringComparison.Ordinal);
        var norm = new LayerNorm([3, 4]);
        Assert.Contains("[2, 4, 3]", Assert.Throws<ArgumentException>(() => norm.Forward(Tensor.Zeros(2, 4, 3))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormLayers_WrongChannels_Throw()
    {
        Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 4, 2, 2)));
        Assert.Throws<ArgumentException>(() => new InstanceNorm2d(3).Forward(Tensor.Zeros(2, 3, 2)));
    }

    [Fact]
    public void Constructors_InvalidSettings_Throw()
    {
        var random = new RandomSource(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(0, 1, 3, random: random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(1, 1, 3, stride: 2, outputPadding: 2, random: random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1f, random));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d(2, padding: 2));
        Assert.Throws<ArgumentException>(() => new Upsample());
        Assert.Throws<ArgumentException>(() => new Upsample(scaleFactor: 2, size: (4, 4)));
        Assert.Throws<ArgumentException>(() => new Upsample(scaleFactor: 2, alignCorners: true));
        Assert.Throws<ArgumentException>(() => new LayerNorm([]));
    }

    [Fact]
    public void Pooling_DefaultStride_IsTheKernelSize()
    {
        Assert.Equal(3, new AvgPool2d(3).Stride);
        Assert.Equal(1, new MaxPool2d(3, stride: 1, padding: 1).Stride);
    }
}
