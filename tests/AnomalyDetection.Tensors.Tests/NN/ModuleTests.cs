using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Tensors.Tests.NN;

public class ModuleTests
{
    // The names and shapes PyTorch 1.13 printed for the module in TestNet's comment:
    // [n for n, _ in net.named_parameters()], [(k, list(v.shape)) for k, v in net.state_dict().items()],
    // sum(p.numel() for p in net.parameters()) = 2260, [n for n, _ in net.named_buffers()], [n for n, _ in net.named_modules()].
    private static readonly string[] PyTorchParameterNames =
    [
        "scale", "encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias", "encoder.3.weight", "encoder.4.weight",
        "encoder.4.bias", "decoder.up.weight", "decoder.up.bias", "decoder.norm.weight", "decoder.norm.bias", "decoder.out.weight",
        "decoder.out.bias", "head.weight", "head.bias",
    ];

    private static readonly (string Name, int[] Shape)[] PyTorchStateDict =
    [
        ("scale", [1]), ("steps", [1]), ("encoder.0.weight", [4, 1, 3, 3]), ("encoder.0.bias", [4]), ("encoder.1.weight", [4]),
        ("encoder.1.bias", [4]), ("encoder.1.running_mean", [4]), ("encoder.1.running_var", [4]), ("encoder.1.num_batches_tracked", []),
        ("encoder.3.weight", [8, 4, 4, 4]), ("encoder.4.weight", [8]), ("encoder.4.bias", [8]), ("encoder.4.running_mean", [8]),
        ("encoder.4.running_var", [8]), ("encoder.4.num_batches_tracked", []), ("decoder.up.weight", [8, 4, 4, 4]), ("decoder.up.bias", [4]),
        ("decoder.norm.weight", [4, 8, 8]), ("decoder.norm.bias", [4, 8, 8]), ("decoder.out.weight", [1, 4, 1, 1]), ("decoder.out.bias", [1]),
        ("head.weight", [10, 64]), ("head.bias", [10]),
    ];

    [Fact]
    public void NamedParameters_NestedModules_MatchPyTorchNamesAndOrder()
    {
        var net = new TestNet(new RandomSource(1));
        Assert.Equal(PyTorchParameterNames, net.NamedParameters().Select(p => p.Name));
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void StateDict_NestedModules_MatchPyTorchKeysOrderAndShapes()
    {
        var state = new TestNet(new RandomSource(1)).StateDict();
        Assert.Equal(PyTorchStateDict.Select(e => e.Name), state.Keys);
        foreach (var (name, shape) in PyTorchStateDict)
        {
            Assert.Equal(shape, state[name].ShapeArray());
        }
    }

    [Fact]
    public void NamedBuffersAndModules_NestedModules_MatchPyTorch()
    {
        var net = new TestNet(new RandomSource(1));
        Assert.Equal(
            ["steps", "encoder.1.running_mean", "encoder.1.running_var", "encoder.1.num_batches_tracked", "encoder.4.running_mean",
             "encoder.4.running_var", "encoder.4.num_batches_tracked"],
            net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(
            ["", "encoder", "encoder.0", "encoder.1", "encoder.2", "encoder.3", "encoder.4", "encoder.5", "decoder", "decoder.up",
             "decoder.norm", "decoder.out", "decoder.act", "head"],
            net.NamedModules().Select(m => m.Name));
        Assert.Equal(["encoder", "decoder", "head"], net.NamedChildren().Select(c => c.Name));
    }

    [Fact]
    public void ParameterCount_NestedModules_MatchesPyTorch()
    {
        var net = new TestNet(new RandomSource(1));
        Assert.Equal(2260, net.ParameterCount());
        net.Head.SetRequiresGrad(false);
        Assert.Equal(2260 - 650, net.ParameterCount(trainableOnly: true));
    }

    [Fact]
    public void StateDict_SharesStorageWithTheModule()
    {
        var net = new TestNet(new RandomSource(1));
        var state = net.StateDict();
        state["head.bias"].AsSpan()[0] = 42f;
        Assert.Equal(42f, net.Head.Bias!.Span[0]);
        Assert.True(state["head.bias"].IsLeaf);
        Assert.False(state["head.bias"].RequiresGrad);
    }

    [Fact]
    public void LoadStateDict_FromAnotherSeed_CopiesValuesInPlace()
    {
        var target = new TestNet(new RandomSource(1));
        var source = new TestNet(new RandomSource(2));
        var weight = target.Head.Weight;
        Assert.NotEqual(source.Head.Weight.ToArray(), weight.ToArray());

        var result = target.LoadStateDict(source.StateDict());

        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        Assert.Same(weight, target.Head.Weight);
        foreach (var (name, tensor) in source.StateDict())
        {
            Assert.Equal(tensor.ToArray(), target.StateDict()[name].ToArray());
        }
    }

    [Fact]
    public void LoadStateDict_Strict_ReportsEveryProblemAndChangesNothing()
    {
        var net = new TestNet(new RandomSource(1));
        var before = net.Head.Weight.ToArray();
        var state = new TestNet(new RandomSource(2)).StateDict();
        state.Remove("encoder.0.bias");
        state.Remove("steps");
        state.Add("encoder.9.weight", Tensor.Zeros(3));
        state["head.weight"] = Tensor.Zeros(64, 10);
        state["decoder.norm.bias"] = Tensor.Zeros(4, 8);

        var ex = Assert.Throws<StateDictMismatchException>(() => net.LoadStateDict(state));

        Assert.Equal(["steps", "encoder.0.bias"], ex.MissingKeys);
        Assert.Equal(["encoder.9.weight"], ex.UnexpectedKeys);
        Assert.Equal(2, ex.ShapeMismatches.Count);
        Assert.Contains("head.weight: expected shape [10, 64] but got [64, 10]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("decoder.norm.bias: expected shape [4, 8, 8] but got [4, 8]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.0.bias", ex.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.9.weight", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Head.Weight.ToArray());
    }

    [Fact]
    public void LoadStateDict_NotStrict_ReturnsSkippedKeysAndLoadsTheRest()
    {
        var net = new TestNet(new RandomSource(1));
        var source = new TestNet(new RandomSource(2)).StateDict();
        source.Remove("head.bias");
        source.Add("extra", Tensor.Zeros(1));
        var biasBefore = net.Head.Bias!.ToArray();

        var result = net.LoadStateDict(source, strict: false);

        Assert.Equal(["head.bias"], result.MissingKeys);
        Assert.Equal(["extra"], result.UnexpectedKeys);
        Assert.Equal(biasBefore, net.Head.Bias.ToArray());
        Assert.Equal(source["head.weight"].ToArray(), net.Head.Weight.ToArray());
    }

    [Fact]
    public void LoadStateDict_NotStrictWithShapeMismatch_Throws()
    {
        var net = new TestNet(new RandomSource(1));
        var state = net.StateDict();
        state["head.bias"] = Tensor.Zeros(11);
        var ex = Assert.Throws<StateDictMismatchException>(() => net.LoadStateDict(state, strict: false));
        Assert.Equal(["head.bias: expected shape [10] but got [11]"], ex.ShapeMismatches);
    }

    [Fact]
    public void TrainAndEval_PropagateToEveryDescendant()
    {
        var net = new TestNet(new RandomSource(1));
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.IsTraining));
        net.Eval();
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.IsTraining));
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.IsTraining));
    }

    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        var net = new TestNet(new RandomSource(1));
        foreach (var p in net.Parameters())
        {
            p.Grad = Tensor.OnesLike(p);
        }

        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void SharedParameter_IsListedOnceButSavedUnderEachName()
    {
        var shared = new Linear(3, 2, random: new RandomSource(1));
        var net = new Sequential(shared, new ReLU(), shared);
        Assert.Equal(["0.weight", "0.bias"], net.NamedParameters().Select(p => p.Name));
        Assert.Equal(8, net.ParameterCount());
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], net.StateDict().Keys);
    }

    [Fact]
    public void NonPersistentBuffer_IsABufferButNotInTheStateDict()
    {
        var module = new BufferModule();
        Assert.Equal(["kept", "scratch"], module.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["kept"], module.StateDict().Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("kept")]
    public void Register_InvalidOrTakenName_Throws(string name)
    {
        var module = new BufferModule();
        Assert.ThrowsAny<ArgumentException>(() => module.Add(name));
    }

    [Fact]
    public void Sequential_AppendNamedAndNumbered_ChainsForwardInOrder()
    {
        var net = new Sequential().Append(new AddOne()).Append("double", new Twice()).Append(new AddOne());
        Assert.Equal(3, net.Count);
        Assert.Equal(["0", "double", "2"], net.NamedChildren().Select(c => c.Name));
        Assert.IsType<Twice>(net[1]);
        var y = net.Forward(Tensor.FromArray([1f, 2f], 2));
        Assert.Equal([5f, 7f], y.ToArray());
    }

    private sealed class BufferModule : Module
    {
        public BufferModule()
        {
            RegisterBuffer("kept", Tensor.Zeros(2));
            RegisterBuffer("scratch", Tensor.Zeros(2), persistent: false);
        }

        public void Add(string name) => RegisterParameter(name, Tensor.Zeros(1));
    }

    private sealed class AddOne : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor input) => input + 1f;
    }

    private sealed class Twice : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor input) => input * 2f;
    }
}
