using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Posteriors;

namespace Occam.Inference;

/// <summary>What a network method fits on: standardised data on the fit's device, the likelihood template, the model frame and the context.</summary>
/// <param name="Data">The standardised training data on the device (valid during the fit only; not to be disposed).</param>
/// <param name="Likelihood">The likelihood template (size copies with <see cref="Likelihood.ForMembers"/>).</param>
/// <param name="Frame">Task, input shape, outputs and standardisation, for the posterior.</param>
/// <param name="Context">Seed, device, progress, cancellation.</param>
public sealed record NetworkFit(Dataset Data, Likelihood Likelihood, ModelFrame Frame, FitContext Context);
