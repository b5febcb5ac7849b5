using System.ComponentModel;
using Occam.Core.Options;

namespace Occam.Inference.Sampling;

/// <summary>
/// Options of the mini-batch samplers with a step-size schedule (SGLD, preconditioned SGLD, SGHMC): run
/// length, burn-in and the schedule. Batches are the model's training batch size, drawn without
/// replacement (a shuffle per epoch, per chain).
/// </summary>
public abstract record StochasticGradientOptions : SamplerOptions
{
    /// <summary>Epochs of the sampling run, burn-in included (null: the model's training epochs).</summary>
    [OptionName("sampler-epochs"), Description("samplers: epochs of the sampling run, burn-in included (default: the training epochs)")]
    public int? Epochs { get; init; }

    /// <summary>Epochs discarded before samples are kept (null: the first half of the run).</summary>
    [Description("samplers: epochs discarded before samples are kept (default: half the run)")]
    public int? BurnIn { get; init; }

    /// <summary>The step-size schedule (default constant).</summary>
    [OptionName("step-schedule"), Description("samplers: step-size schedule")]
    public StepSchedule Schedule { get; init; } = StepSchedule.Constant;

    /// <summary>b of the polynomial decay h_k = a(b + k)^(−γ), in steps (default 1000).</summary>
    [Description("samplers: b of the polynomial step decay a(b+k)^-γ, in steps")]
    public double DecayOffset { get; init; } = 1000;

    /// <summary>γ of the polynomial decay (default 0.55; Teh et al. 2016 need γ in (0.5, 1] for the decreasing-step guarantees).</summary>
    [Description("samplers: γ of the polynomial step decay a(b+k)^-γ")]
    public double DecayExponent { get; init; } = 0.55;

    /// <summary>Cosine cycles of the cyclical schedule (default 4).</summary>
    [Description("samplers: cosine cycles of the cyclical step size")]
    public int Cycles { get; init; } = 4;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Epochs is < 1) throw new ArgumentException($"Sampler epochs must be at least 1; got {Epochs}.", nameof(Epochs));
        if (BurnIn is < 0) throw new ArgumentException($"Burn-in must be non-negative; got {BurnIn}.", nameof(BurnIn));
        if (Epochs is { } e && BurnIn is { } b && b >= e) throw new ArgumentException($"Burn-in ({b} epochs) must be shorter than the run ({e} epochs).", nameof(BurnIn));
        if (!Enum.IsDefined(Schedule)) throw new ArgumentException($"Unknown step schedule {Schedule}.", nameof(Schedule));
        Positive(DecayOffset, nameof(DecayOffset), "The decay offset b");
        if (!(DecayExponent >= 0) || !double.IsFinite(DecayExponent)) throw new ArgumentException($"The decay exponent γ must be non-negative; got {DecayExponent}.", nameof(DecayExponent));
        if (Cycles < 1) throw new ArgumentException($"Cycles must be at least 1; got {Cycles}.", nameof(Cycles));
    }
}
