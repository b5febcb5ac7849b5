namespace Occam.Active;

/// <summary>
/// What an interrupted active-learning run needs to continue exactly where it stopped: its settings (a
/// resumed run must have the same ones), the next round, the labelled pool rows, the rounds done and,
/// for warm starts, the file holding the last weights. Written after every round.
/// </summary>
/// <param name="Format">"occam-active-state".</param>
/// <param name="Version">Format version.</param>
/// <param name="Settings">Everything the results depend on, as readable text by name.</param>
/// <param name="NextRound">The round to run next.</param>
/// <param name="Labelled">Labelled pool rows in labelling order (including the batch acquired last).</param>
/// <param name="Rounds">Results of the rounds done.</param>
/// <param name="Finished">Whether the run reached its budget.</param>
/// <param name="WarmFile">File name (in the state folder) of the warm-start weights, or null.</param>
public sealed record ActiveRunState(string Format, int Version, IReadOnlyDictionary<string, string> Settings, int NextRound,
    long[] Labelled, IReadOnlyList<RoundResult> Rounds, bool Finished, string? WarmFile)
{
    /// <summary>The format name.</summary>
    public const string FormatName = "occam-active-state";

    /// <summary>The version this Occam writes.</summary>
    public const int CurrentVersion = 1;
}
