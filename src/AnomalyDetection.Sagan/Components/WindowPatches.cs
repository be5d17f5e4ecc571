using AnomalyDetection.Components;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// Cuts images into a grid×grid set of non-overlapping windows and puts them back, in SAGAN's order: window
/// n = grid·row + col of image b becomes batch item b·grid² + n (for a 2×2 grid: 0 top-left, 1 top-right,
/// 2 bottom-left, 3 bottom-right). Both directions are differentiable.
/// </summary>
public static class WindowPatches
{
    /// <summary>Splits each image into grid² windows.</summary>
    /// <param name="images">Images of shape (B, C, H, W), with H and W divisible by <paramref name="grid"/>.</param>
    /// <param name="grid">Windows per side; SAGAN uses 2.</param>
    /// <returns>Windows of shape (B·grid², C, H/grid, W/grid).</returns>
    /// <exception cref="ArgumentException">The images are not rank 4 or their size is not divisible by the grid.</exception>
    public static Tensor Patchify(Tensor images, int grid = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grid);
        if (images.dim() != 4 || images.shape[2] % grid != 0 || images.shape[3] % grid != 0)
        {
            throw new ArgumentException(
                $"Patchify expects images (B, C, H, W) with H and W divisible by the grid ({grid}), but got shape {ComponentInputGuard.Format(images.shape)}.", nameof(images));
        }

        long b = images.shape[0], c = images.shape[1], h = images.shape[2] / grid, w = images.shape[3] / grid;
        return images.reshape(b, c, grid, h, grid, w).permute(0, 2, 4, 1, 3, 5).reshape(b * grid * grid, c, h, w);
    }

    /// <summary>Reassembles windows made by <see cref="Patchify"/> into whole images.</summary>
    /// <param name="windows">Windows of shape (B·grid², C, h, w), in <see cref="Patchify"/>'s order.</param>
    /// <param name="grid">Windows per side.</param>
    /// <returns>Images of shape (B, C, grid·h, grid·w).</returns>
    /// <exception cref="ArgumentException">The windows are not rank 4 or their count is not a multiple of grid².</exception>
    public static Tensor Assemble(Tensor windows, int grid = 2)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grid);
        if (windows.dim() != 4 || windows.shape[0] % (grid * grid) != 0)
        {
            throw new ArgumentException(
                $"Assemble expects windows (B·{grid * grid}, C, h, w) for a {grid}×{grid} grid, but got shape {ComponentInputGuard.Format(windows.shape)}.", nameof(windows));
        }

        long b = windows.shape[0] / (grid * grid), c = windows.shape[1], h = windows.shape[2], w = windows.shape[3];
        return windows.reshape(b, grid, grid, c, h, w).permute(0, 3, 1, 4, 2, 5).reshape(b, c, grid * h, grid * w);
    }
}
