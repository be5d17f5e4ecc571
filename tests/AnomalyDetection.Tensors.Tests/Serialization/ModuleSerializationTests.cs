using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Serialization;
using AnomalyDetection.Tensors.Tests.NN;

namespace AnomalyDetection.Tensors.Tests.Serialization;

public class ModuleSerializationTests
{
    [Fact]
    public async Task SaveAsyncThenLoadAsync_RestoresEveryParameterAndBuffer()
    {
        var source = new TestNet(new RandomSource(1));
        source.Encoder[4].StateDict()["running_mean"].AsSpan().Fill(0.25f);
        var path = Path.Combine(Path.GetTempPath(), $"nn-{Guid.NewGuid():N}.safetensors");
        try
        {
            await source.SaveAsync(path, new Dictionary<string, string> { ["model"] = "TestNet" });
            var target = new TestNet(new RandomSource(2));
            var result = await target.LoadAsync(path);
            Assert.Empty(result.MissingKeys);
            foreach (var (name, tensor) in source.StateDict())
            {
                Assert.Equal(tensor.ToArray(), target.StateDict()[name].ToArray());
            }

            Assert.Equal("TestNet", SafeTensors.Load(path).Metadata["model"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FileForAnotherModel_ThrowsTheStrictMismatch()
    {
        using var stream = new MemoryStream();
        new Linear(3, 2, random: new RandomSource(1)).Save(stream);
        stream.Position = 0;
        var ex = Assert.Throws<StateDictMismatchException>(() => new Linear(3, 4, random: new RandomSource(1)).Load(stream));
        Assert.Equal(2, ex.ShapeMismatches.Count);
    }

    [Fact]
    public void Load_NotStrict_ReportsSkippedKeys()
    {
        using var stream = new MemoryStream();
        new Linear(3, 2, random: new RandomSource(1)).Save(stream);
        stream.Position = 0;
        var result = new Sequential(("weight", new Identity())).Load(stream, strict: false);
        Assert.Equal(["weight", "bias"], result.UnexpectedKeys);
    }
}
