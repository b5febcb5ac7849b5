using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>
/// Options of cyclical SG-MCMC (Zhang, Li, Zhang, Chen &amp; Wilson 2020): the step size follows cosine
/// cycles; the first fraction β of each cycle explores (no injected noise: SGD or SGD with momentum), the
/// rest samples (noise on), and the last <see cref="SamplesPerCycle"/> states of each cycle, <see
/// cref="SamplerOptions.Thin"/> steps apart, are kept.
/// </summary>
public abstract record CyclicalOptions : SamplerOptions
{
    /// <summary>Epochs of the whole run (null: the model's training epochs).</summary>
    [OptionName("sampler-epochs"), Description("samplers: epochs of the sampling run, burn-in included (default: the training epochs)")]
    public int? Epochs { get; init; }

    /// <summary>Cosine cycles M (default 4).</summary>
    [Description("samplers: cosine cycles of the cyclical step size")]
    public int Cycles { get; init; } = 4;

    /// <summary>Fraction β of each cycle spent exploring without noise (default 0.8), in [0, 1).</summary>
    [Description("cyclical samplers: fraction β of each cycle that explores without noise")]
    public double Exploration { get; init; } = 0.8;

    /// <summary>Samples kept at the end of each cycle (default 1), <see cref="SamplerOptions.Thin"/> steps apart.</summary>
    [Description("cyclical samplers: samples kept at the end of each cycle")]
    public int SamplesPerCycle { get; init; } = 1;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Epochs is < 1) throw new ArgumentException($"Sampler epochs must be at least 1; got {Epochs}.", nameof(Epochs));
        if (Cycles < 1) throw new ArgumentException($"Cycles must be at least 1; got {Cycles}.", nameof(Cycles));
        if (!(Exploration >= 0 && Exploration < 1)) throw new ArgumentException($"The exploration fraction β must lie in [0, 1); got {Exploration}.", nameof(Exploration));
        if (SamplesPerCycle < 1) throw new ArgumentException($"Samples per cycle must be at least 1; got {SamplesPerCycle}.", nameof(SamplesPerCycle));
        if ((long)Chains * Cycles * SamplesPerCycle > MaxSamples)
            throw new ArgumentException($"{Chains} chains × {Cycles} cycles × {SamplesPerCycle} samples per cycle = {(long)Chains * Cycles * SamplesPerCycle} samples, more than max samples ({MaxSamples}).", nameof(MaxSamples));
    }
}
