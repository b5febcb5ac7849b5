using System.Globalization;

namespace Occam.Distributed;

/// <summary>Task index lists in the compact form Slurm's --array and people use: "1,4-6".</summary>
public static class IndexRanges
{
    /// <summary>The sorted, distinct <paramref name="indices"/> as comma-separated runs ("0-2,5"); "" when there are none.</summary>
    public static string Format(IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }
        return string.Join(",", parts);
    }
}
