using Occam.Core;

namespace Occam.Inference.Sampling;

/// <summary>How one group of chains runs: the runner's options (members are set per group), the draws each chain keeps, and which kept steps to keep.</summary>
/// <param name="Run">Epochs, batches, schedule, burn-in and thinning.</param>
/// <param name="KeptPerChain">Draws each chain keeps.</param>
/// <param name="Keep">A filter on the steps the runner hands the collector (null: all).</param>
public sealed record SamplingPlan(RunOptions Run, int KeptPerChain, Func<long, bool>? Keep = null);
