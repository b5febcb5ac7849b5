namespace Occam.Active;

/// <summary>The learning curve of one active-learning run: one method, one acquisition function, one seed.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Acquisition">The acquisition function's name.</param>
/// <param name="Seed">The run's seed (initial set, fits, scoring, draws).</param>
/// <param name="Rounds">One entry per round, in order.</param>
/// <param name="Labelled">Pool row indices labelled at the end, in the order they were labelled (the initial set first).</param>
/// <param name="Seconds">Wall time of the rounds run in this process (resumed runs count only their own).</param>
public sealed record ActiveLearningRun(string Method, string Acquisition, long Seed, IReadOnlyList<RoundResult> Rounds, long[] Labelled, double Seconds);
