using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// Rotates image batches about their centre, for the rotated-MNIST dataset-shift protocol
/// (evaluate a model on test images rotated by increasing angles).
/// </summary>
public static class Rotations
{
    /// <summary>
    /// Rotates every image of a batch by <paramref name="degrees"/> counter-clockwise (as displayed, row 0
    /// at the top), about the image centre, with bilinear sampling; pixels that come from outside the
    /// image are zero.
    /// </summary>
    /// <param name="images">Floating-point [N, C, H, W]; not modified.</param>
    /// <param name="degrees">Angle in degrees; positive turns counter-clockwise, like torchvision's <c>rotate</c>.</param>
    /// <returns>A new tensor of the same shape, dtype and device, owned by the caller.</returns>
    public static Tensor Rotate(Tensor images, double degrees)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
            throw new ArgumentException($"Images must be [N, C, H, W]; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"Images must be floating point; got {images.dtype}.", nameof(images));
        if (!double.IsFinite(degrees)) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "The angle must be finite.");

        var n = images.shape[0];
        var h = (double)images.shape[2];
        var w = (double)images.shape[3];
        var radians = degrees * Math.PI / 180.0;
        var (sin, cos) = Math.SinCos(radians);
        // affine_grid maps each output location (x, y in [-1, 1], x to the right, y down) to the input
        // location it samples. Turning the picture counter-clockwise by a means sampling at the output
        // location turned clockwise by a: in pixels (x cos a - y sin a, x sin a + y cos a); the H/W
        // factors convert between the normalised x and y scales of a non-square image.
        var theta = new[]
        {
            (float)cos, (float)(-sin * h / w), 0f,
            (float)(sin * w / h), (float)cos, 0f,
        };
        using var scope = NewDisposeScope();
        var affine = tensor(theta, new long[] { 1, 2, 3 }, images.dtype, images.device).expand(n, 2, 3);
        var grid = nn.functional.affine_grid(affine, images.shape, align_corners: false);
        var rotated = nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        return rotated.MoveToOuterDisposeScope();
    }

    /// <summary>A copy of an image dataset with every image rotated by <paramref name="degrees"/> (see <see cref="Rotate(Tensor, double)"/>).</summary>
    /// <param name="data">Dataset whose inputs are [N, C, H, W]; not modified.</param>
    /// <param name="degrees">Angle in degrees, counter-clockwise.</param>
    /// <param name="name">Name of the new dataset; defaults to "{name}-rot{degrees}".</param>
    /// <returns>A new dataset owned by the caller.</returns>
    public static Dataset Rotate(Dataset data, double degrees, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var rotated = Rotate(data.Inputs, degrees);
        return new Dataset(rotated, data.Targets.clone(), data.Task, data.ClassCount,
            name ?? $"{data.Name}-rot{degrees.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            data.FeatureNames, data.TargetName);
    }
}
