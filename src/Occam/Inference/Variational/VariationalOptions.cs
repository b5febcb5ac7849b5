using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Variational;

/// <summary>Options of mean-field variational inference (<see cref="BayesByBackpropMethod"/>).</summary>
public sealed record VariationalOptions : IMethodOptions
{
    /// <summary>
    /// Monte Carlo weight samples per training step (default 1). With S &gt; 1 the expected negative
    /// log-likelihood is the average over S draws, computed in one batched pass (S times the work).
    /// </summary>
    [OptionName("vi-samples"), Description("VI weight samples per training step")]
    public int TrainingSamples { get; init; } = 1;

    /// <summary>
    /// Initial standard deviation σ₀ of every weight (default 1e-3, <see cref="BayesianNetwork.DefaultInitialSd"/>):
    /// training starts close to a point estimate. See <see cref="ScaleLearningRateFactor"/> for how fast σ can leave it.
    /// </summary>
    [OptionName("vi-initial-sd"), Description("VI initial standard deviation of every weight")]
    public double InitialSd { get; init; } = BayesianNetwork.DefaultInitialSd;

    /// <summary>
    /// The learning rate of the raw scales ρ = softplus⁻¹(σ), as a multiple of the means' (default 10).
    /// Adam moves a parameter by about one learning rate per step whatever its gradient's size, and
    /// for small σ, softplus(ρ) ≈ e^ρ, so at Adam's 1e-3 σ could change at most e-fold per thousand steps:
    /// a 40-epoch UCI run would end with σ still near σ₀. At 10× it can move e-fold per hundred steps.
    /// Use 1 for one learning rate for all variational parameters.
    /// </summary>
    [OptionName("vi-sd-lr-factor"), Description("VI learning rate of the σ parameters as a multiple of the means'")]
    public double ScaleLearningRateFactor { get; init; } = 10;

    /// <summary>
    /// Train a MAP network first (same setup: prior, epochs, optimiser) and start the means from its
    /// weights, then run variational training for another <c>Setup.Training.Epochs</c> (default false:
    /// the means start from the network's default initialisation).
    /// </summary>
    [OptionName("vi-from-map"), Description("VI: train a MAP network first and start the means there")]
    public bool InitialiseFromMap { get; init; }

    /// <summary>
    /// Temperature T &gt; 0 (default 1): the KL term is weighted by T and taken to the prior N(0, T/λ), so q
    /// approximates exp(log p(θ|D)/T), the prior tempered with the likelihood (<see cref="Core.LogPosterior"/>).
    /// </summary>
    [Description("temperature T > 0 of the posterior (1 = Bayes, < 1 = cold): samplers scale their noise by sqrt(T), Laplace its covariance by T, IVON uses ess = N/T, VI weights its KL by T")]
    public double Temperature { get; init; } = 1.0;

    /// <summary>Weight samples S of the model average at prediction (default 64).</summary>
    [Description("weight samples averaged per prediction")]
    public int Samples { get; init; } = 64;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (TrainingSamples < 1) throw new ArgumentException($"Training samples per step must be at least 1; got {TrainingSamples}.", nameof(TrainingSamples));
        if (!(InitialSd > 0) || !double.IsFinite(InitialSd)) throw new ArgumentException($"The initial standard deviation must be positive and finite; got {InitialSd}.", nameof(InitialSd));
        if (!(ScaleLearningRateFactor > 0) || !double.IsFinite(ScaleLearningRateFactor)) throw new ArgumentException($"The learning-rate factor of the scales must be positive and finite; got {ScaleLearningRateFactor}.", nameof(ScaleLearningRateFactor));
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentException($"Temperature must be positive and finite; got {Temperature}.", nameof(Temperature));
        if (Samples < 1) throw new ArgumentException($"Samples must be at least 1; got {Samples}.", nameof(Samples));
    }
}
