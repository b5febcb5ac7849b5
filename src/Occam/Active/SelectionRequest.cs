using Occam.Inference;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>What an acquisition chooses from in one round.</summary>
/// <param name="Posterior">The posterior fitted on the labelled set (read through its predictive only).</param>
/// <param name="Candidates">Inputs of the candidate pool points, float32 [M, ...] in raw units (not disposed by the acquisition).</param>
/// <param name="Count">How many to choose (b).</param>
/// <param name="Predict">Prediction options of the scoring (samples, seed); its batch size is ignored in favour of <paramref name="ScoreBatchSize"/>.</param>
/// <param name="ScoreBatchSize">Candidates per prediction call: bounds memory to about S × this × classes float64 values.</param>
/// <param name="Random">Seeded generator for acquisitions that draw (random, sampled joint configurations).</param>
public sealed record SelectionRequest(IPosterior Posterior, Tensor Candidates, int Count, PredictOptions Predict, int ScoreBatchSize, Generator Random);
