using System.Globalization;

namespace Occam.Data.Tables;

/// <summary>How Occam reads single cells: missing markers, numbers (invariant culture, finite, within float32) and labels.</summary>
public static class Cells
{
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.OrdinalIgnoreCase) { "", "na", "n/a", "nan", "null", "none", "?" };

    /// <summary>Whether the cell stands for a missing value: empty, NA, N/A, NaN, null, None or ? (any case).</summary>
    public static bool IsMissing(string cell) => MissingMarkers.Contains(cell.Trim());

    /// <summary>The cell as a finite float32-range number, or null when it is not one.</summary>
    public static double? Number(string cell)
    {
        var text = cell.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return null;
        return double.IsFinite(value) && float.IsFinite((float)value) ? value : null;
    }

    /// <summary>The cell as a class label: numbers in their shortest invariant form ("1.0" → "1"), text trimmed.</summary>
    public static string Label(string cell) => Number(cell) is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : cell.Trim();
}
