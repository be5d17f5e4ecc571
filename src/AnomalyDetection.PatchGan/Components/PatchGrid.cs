using AnomalyDetection.Components;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>
/// Cuts images into the non-overlapping square patches of a regular grid and puts them back. Patches are numbered in
/// row-major order within each image (patch r·columns + c), images one after another; every operation is
/// differentiable and runs on the input's device.
/// </summary>
public static class PatchGrid
{
    /// <summary>Cuts every image into patches.</summary>
    /// <param name="images">Images of shape (N, C, H, W) with H and W multiples of <paramref name="patchSize"/>.</param>
    /// <param name="patchSize">The side of a patch, in pixels.</param>
    /// <returns>Patches of shape (N·R·K, C, P, P) for a grid of R = H/P rows and K = W/P columns.</returns>
    /// <exception cref="ArgumentException">The input is not rank 4 or its size is not a multiple of the patch size.</exception>
    public static Tensor Crop(Tensor images, int patchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ComponentInputGuard.CheckImage(images, null, nameof(PatchGrid) + "." + nameof(Crop));
        ComponentInputGuard.CheckDivisible(images, patchSize, nameof(PatchGrid) + "." + nameof(Crop));
        long n = images.shape[0], c = images.shape[1], rows = images.shape[2] / patchSize, columns = images.shape[3] / patchSize;
        return images
            .reshape(n, c, rows, patchSize, columns, patchSize)
            .permute(0, 2, 4, 1, 3, 5)
            .reshape(n * rows * columns, c, patchSize, patchSize);
    }

    /// <summary>Puts patches back into images; the inverse of <see cref="Crop"/>.</summary>
    /// <param name="patches">Patches of shape (N·R·K, C, P, P) in the order <see cref="Crop"/> gives.</param>
    /// <param name="rows">Grid rows R.</param>
    /// <param name="columns">Grid columns K.</param>
    /// <returns>Images of shape (N, C, R·P, K·P).</returns>
    /// <exception cref="ArgumentException">The patches are not square rank-4 tensors, or their count is not a multiple of R·K.</exception>
    public static Tensor Assemble(Tensor patches, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ComponentInputGuard.CheckImage(patches, null, nameof(PatchGrid) + "." + nameof(Assemble));
        long count = patches.shape[0], c = patches.shape[1], size = patches.shape[2];
        if (patches.shape[3] != size || count % (rows * columns) != 0)
        {
            throw new ArgumentException(
                $"{nameof(PatchGrid)}.{nameof(Assemble)} needs square patches whose count is a multiple of {rows}×{columns}, but got shape {ComponentInputGuard.Format(patches.shape)}.",
                nameof(patches));
        }

        var n = count / (rows * columns);
        return patches
            .reshape(n, rows, columns, c, size, size)
            .permute(0, 3, 1, 4, 2, 5)
            .reshape(n, c, rows * size, columns * size);
    }

    /// <summary>Spreads one value per patch over the patch's pixels (nearest-neighbour upsampling).</summary>
    /// <param name="grid">Values of shape (N, C, R, K).</param>
    /// <param name="patchSize">The side of a patch, in pixels.</param>
    /// <returns>Pixels of shape (N, C, R·P, K·P), on the grid's device.</returns>
    public static Tensor ToPixels(Tensor grid, int patchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ComponentInputGuard.CheckImage(grid, null, nameof(PatchGrid) + "." + nameof(ToPixels));
        return grid.repeat_interleave(patchSize, 2).repeat_interleave(patchSize, 3);
    }

    /// <summary>The mean of every patch (average pooling over the grid).</summary>
    /// <param name="images">Images of shape (N, C, H, W) with H and W multiples of <paramref name="patchSize"/>.</param>
    /// <param name="patchSize">The side of a patch, in pixels.</param>
    /// <returns>Patch means of shape (N, C, H/P, W/P).</returns>
    public static Tensor Means(Tensor images, int patchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        ComponentInputGuard.CheckImage(images, null, nameof(PatchGrid) + "." + nameof(Means));
        ComponentInputGuard.CheckDivisible(images, patchSize, nameof(PatchGrid) + "." + nameof(Means));
        return nn.functional.avg_pool2d(images, patchSize, patchSize);
    }
}
