using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Core.Tests.Preprocessing;

public class GeometryStepTests
{
    private static ImageData Ramp(int width, int height, int channels = 1) =>
        ImageData.FromPlanar(width, height, channels, [.. Enumerable.Range(0, width * height * channels).Select(i => (float)i)]);

    [Theory]
    [InlineData(5, 5, 2, 2, 2, 2)] // (5 − 2) / 2 = 1.5 rounds to 2, as torchvision's int(round(1.5))
    [InlineData(6, 4, 3, 3, 2, 0)] // 1.5 → 2 and 0.5 → 0 (halves to even)
    [InlineData(7, 5, 4, 2, 2, 2)] // 1.5 → 2 and 1.5 → 2
    [InlineData(9, 4, 2, 4, 4, 0)] // 3.5 → 4
    public void CenterCrop_Window_StartsWhereTorchvisionDoes(int width, int height, int cropWidth, int cropHeight, int left, int top)
    {
        var image = Ramp(width, height);

        var cropped = new CenterCropStep(cropWidth, cropHeight).Apply(image);

        Assert.Equal((cropWidth, cropHeight), (cropped.Width, cropped.Height));
        for (var y = 0; y < cropHeight; y++)
        {
            for (var x = 0; x < cropWidth; x++)
            {
                Assert.Equal(image[0, y + top, x + left], cropped[0, y, x]);
            }
        }
    }

    [Fact]
    public void CenterCrop_LargerThanImage_PadsWithZerosOddPixelAfter()
    {
        var image = ImageData.FromPlanar(2, 1, 1, [5, 6]);

        Assert.Equal([0, 0, 0, 0, 0, 5, 6, 0, 0, 0, 0, 0], new CenterCropStep(4, 3).Apply(image).Pixels.ToArray());
        Assert.Equal([5, 6, 0, 0, 0, 0], new CenterCropStep(3, 2).Apply(image).Pixels.ToArray());
    }

    [Fact]
    public void RandomFlip_Probabilities_OneAlwaysFlipsZeroNever()
    {
        var image = Ramp(3, 2, 2);

        var both = new RandomFlipStep(1, 1).ApplyForTraining(image, new RandomSource(1));
        var none = new RandomFlipStep(0, 0).ApplyForTraining(image, new RandomSource(1));
        var horizontal = new RandomFlipStep(1, 0).ApplyForTraining(image, new RandomSource(1));

        Assert.Equal([5, 4, 3, 2, 1, 0, 11, 10, 9, 8, 7, 6], both.Pixels.ToArray());
        Assert.Equal(image.Pixels.ToArray(), none.Pixels.ToArray());
        Assert.Equal([2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9], horizontal.Pixels.ToArray());
        Assert.Same(image, new RandomFlipStep(1, 1).Apply(image));
    }

    [Fact]
    public void RandomFlip_HalfProbability_FlipsAboutHalfTheTimeAndDrawsTwoNumbersPerCall()
    {
        var image = Ramp(2, 1);
        var step = new RandomFlipStep(0.5, 0.5);
        var random = new RandomSource(42);
        var reference = new RandomSource(42);
        var flips = 0;
        for (var i = 0; i < 400; i++)
        {
            var flipped = step.ApplyForTraining(image, random)[0, 0, 0] == 1;
            flips += flipped ? 1 : 0;
            Assert.Equal(reference.NextDouble() < 0.5, flipped);
            reference.NextDouble();
        }

        Assert.InRange(flips, 160, 240);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Rotate_NinetyDegrees_MatchesNumpyRot90(int size)
    {
        // np.rot90(a)[i, j] == a[j, n − 1 − i]: a counter-clockwise quarter turn.
        var image = Ramp(size, size);

        var rotated = RandomRotationStep.Rotate(image, 90, fill: -7);

        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                Assert.Equal(image[0, j, size - 1 - i], rotated[0, i, j], 4);
            }
        }
    }

    [Fact]
    public void Rotate_FortyFiveDegrees_FillsCornersAndKeepsCentre()
    {
        // On a 7×7 canvas the corners sample 3·√2 ≈ 4.24 px from the centre along an axis: beyond the 3.5 px edge.
        var image = ImageData.FromPlanar(7, 7, 1, [.. Enumerable.Repeat(1f, 49)]);

        var rotated = RandomRotationStep.Rotate(image, 45, fill: 0.25f);

        Assert.Equal(1f, rotated[0, 3, 3], 6);
        Assert.Equal(0.25f, rotated[0, 0, 0], 6);
        Assert.Equal(0.25f, rotated[0, 6, 6], 6);
    }

    [Fact]
    public void RandomRotation_SameSeed_SameResult_AndInferenceSkipsIt()
    {
        var image = Ramp(6, 5);
        var step = new RandomRotationStep(maxDegrees: 15);

        var first = step.ApplyForTraining(image, new RandomSource(3));
        var second = step.ApplyForTraining(image, new RandomSource(3));

        Assert.Equal(first.Pixels.ToArray(), second.Pixels.ToArray());
        Assert.NotEqual(image.Pixels.ToArray(), first.Pixels.ToArray());
        Assert.Same(image, step.Apply(image));
    }

    [Fact]
    public void AugmentationConstructors_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomFlipStep(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomFlipStep(0.5, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRotationStep(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRotationStep(10, float.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CenterCropStep(0, 1));
    }
}
