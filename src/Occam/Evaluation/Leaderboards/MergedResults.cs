namespace Occam.Evaluation.Leaderboards;

/// <summary>A row left out of the leaderboard because a later row of the same dataset and method replaced it.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Method">The method.</param>
/// <param name="Source">The file of the replaced row.</param>
/// <param name="ReplacedBy">The file of the row that replaced it.</param>
public sealed record SupersededRow(string Dataset, string Method, string Source, string ReplacedBy);

/// <summary>The rows of several results files, one per (dataset, method), and the rows that were replaced.</summary>
/// <param name="Sources">The files, in the order given (each once).</param>
/// <param name="Entries">One entry per (dataset, method), in order of first appearance.</param>
/// <param name="Superseded">The rows replaced by later ones, in the order they were replaced.</param>
public sealed record MergedResults(IReadOnlyList<string> Sources, IReadOnlyList<LeaderboardEntry> Entries, IReadOnlyList<SupersededRow> Superseded)
{
    /// <summary>The short label of a results file in tables: its place in <see cref="Sources"/>, e.g. "[2]".</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not one of <see cref="Sources"/>.</exception>
    public string Label(string source)
    {
        int index = Sources.ToList().IndexOf(source);
        if (index < 0) throw new ArgumentException($"'{source}' is not one of the merged results files.", nameof(source));
        return $"[{index + 1}]";
    }

    /// <summary>
    /// Merges <paramref name="files"/> in order: when a (dataset, method) pair appears again, in a later file or later in
    /// the same file, the later row wins and takes the earlier row's place in the order.
    /// </summary>
    public static MergedResults Merge(IReadOnlyList<ResultsFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var entries = new List<LeaderboardEntry>();
        var positions = new Dictionary<(string Dataset, string Method), int>();
        var superseded = new List<SupersededRow>();
        foreach (var file in files)
        {
            foreach (var row in file.Rows)
            {
                var key = (row.Dataset, row.Method);
                var entry = new LeaderboardEntry(row, file.Source);
                if (positions.TryGetValue(key, out int at))
                {
                    superseded.Add(new SupersededRow(row.Dataset, row.Method, entries[at].Source, file.Source));
                    entries[at] = entry;
                }
                else
                {
                    positions[key] = entries.Count;
                    entries.Add(entry);
                }
            }
        }
        return new MergedResults(files.Select(f => f.Source).Distinct().ToList(), entries, superseded);
    }
}
