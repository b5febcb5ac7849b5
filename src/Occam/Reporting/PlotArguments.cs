namespace Occam.Reporting;

/// <summary>Argument checks shared by the plots; each names the offending parameter and says what was expected.</summary>
internal static class PlotArguments
{
    /// <summary>Largest width or height accepted, in pixels (guards against a swapped or garbage argument allocating gigabytes).</summary>
    public const int MaxPixels = 16_384;

    public static void Path(string path, string name)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Expected a file path for the PNG image.", name);
    }

    public static void Size(int value, string name)
    {
        if (value < 16 || value > MaxPixels)
            throw new ArgumentOutOfRangeException(name, value, $"Expected an image size between 16 and {MaxPixels} pixels.");
    }

    public static void NotNull<T>(T? value, string name) where T : class
    {
        if (value is null) throw new ArgumentNullException(name);
    }

    /// <summary>Checks that <paramref name="array"/> has <paramref name="expected"/> elements, as its companion <paramref name="reference"/> does.</summary>
    public static void SameLength<T>(T[]? array, string name, int expected, string reference)
    {
        NotNull(array, name);
        if (array!.Length != expected)
            throw new ArgumentException($"Expected {name} to have the same length as {reference} ({expected}), got {array.Length}.", name);
    }

    /// <summary>Checks that <paramref name="grid"/> has at least two finite, strictly increasing, evenly spaced values.</summary>
    public static void EvenGrid(double[]? grid, string name)
    {
        NotNull(grid, name);
        if (grid!.Length < 2)
            throw new ArgumentException($"Expected {name} to hold at least two grid points, got {grid.Length}.", name);
        var step = (grid[^1] - grid[0]) / (grid.Length - 1);
        if (!double.IsFinite(step) || step <= 0)
            throw new ArgumentException($"Expected {name} to be finite and strictly increasing.", name);
        for (var i = 1; i < grid.Length; i++)
        {
            var d = grid[i] - grid[i - 1];
            if (!double.IsFinite(d) || Math.Abs(d - step) > 1e-3 * step)
                throw new ArgumentException(
                    $"Expected {name} to be evenly spaced and increasing (step {step:G4}); the step between points {i - 1} and {i} is {d:G4}.", name);
        }
    }
}
