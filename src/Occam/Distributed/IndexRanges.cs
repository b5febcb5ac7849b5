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

    /// <summary>The indices of a list such as "1,4-6" (runs inclusive), in the order written.</summary>
    /// <exception cref="ArgumentException">Not a list of non-negative integers and ascending runs.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-');
            if (ends.Length is < 1 or > 2 || !ends.All(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new ArgumentException($"'{text}' is not an index list such as 1,4-6");
            int from = int.Parse(ends[0], CultureInfo.InvariantCulture), to = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (to < from) throw new ArgumentException($"'{text}' is not an index list such as 1,4-6 ({part} runs backwards)");
            for (int i = from; i <= to; i++) result.Add(i);
        }
        return result;
    }
}
