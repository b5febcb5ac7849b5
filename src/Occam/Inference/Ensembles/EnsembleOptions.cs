using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Ensembles;

/// <summary>The likelihood of a deep ensemble's members on regression data.</summary>
public enum EnsembleLikelihood
{
    /// <summary>Each member predicts a mean and a variance (Lakshminarayanan et al. 2017), as in the paper.</summary>
    Heteroscedastic,

    /// <summary>The model setup's likelihood (e.g. a learned homoscedastic noise per member).</summary>
    Setup,
}

/// <summary>Options of a deep ensemble.</summary>
public sealed record EnsembleOptions : IMethodOptions
{
    /// <summary>Ensemble size K (default 5).</summary>
    [Description("ensemble size K")]
    public int Members { get; init; } = 5;

    /// <summary>Regression likelihood of the members (default heteroscedastic, as in the paper); classification always uses the categorical.</summary>
    [OptionName("ensemble-likelihood"), Description("regression likelihood of the members: heteroscedastic (mean and variance per member) or setup (the model's likelihood)")]
    public EnsembleLikelihood Likelihood { get; init; } = EnsembleLikelihood.Heteroscedastic;

    /// <summary>Train stacked members in one batched pass where the architecture allows (default true).</summary>
    [Description("train the members together in one batched pass where the architecture allows")]
    public bool Batched { get; init; } = true;

    /// <inheritdoc />
    public void Validate()
    {
        if (Members < 1) throw new ArgumentException($"An ensemble needs at least one member; got {Members}.", nameof(Members));
        if (!Enum.IsDefined(Likelihood)) throw new ArgumentException($"Unknown ensemble likelihood {Likelihood}.", nameof(Likelihood));
    }
}
