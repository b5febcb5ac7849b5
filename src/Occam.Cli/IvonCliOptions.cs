using System.CommandLine;
using Occam.Inference.Variational;

namespace Occam.Cli;

/// <summary>The IVON options of <c>occam fit</c> and <c>occam bench</c>.</summary>
public sealed class IvonCliOptions
{
    /// <summary>--ivon-lr.</summary>
    public Option<double> LearningRate { get; } = new("--ivon-lr") { Description = "IVON: learning rate (an SGD/Newton step size, not Adam's)", DefaultValueFactory = _ => 0.1 };

    /// <summary>--ess.</summary>
    public Option<double?> Ess { get; } = new("--ess") { Description = "IVON: effective sample size λ (default: the training-set size)" };

    /// <summary>--hess-init.</summary>
    public Option<double> HessianInit { get; } = new("--hess-init") { Description = "IVON: initial Hessian estimate h0", DefaultValueFactory = _ => 1.0 };

    /// <summary>--beta1.</summary>
    public Option<double> Beta1 { get; } = new("--beta1") { Description = "IVON: gradient momentum β1 in [0, 1)", DefaultValueFactory = _ => 0.9 };

    /// <summary>--beta2.</summary>
    public Option<double> Beta2 { get; } = new("--beta2") { Description = "IVON: Hessian momentum β2 in [0, 1)", DefaultValueFactory = _ => 0.99999 };

    /// <summary>--mc-samples.</summary>
    public Option<int> McSamples { get; } = new("--mc-samples") { Description = "IVON: weight samples per training step", DefaultValueFactory = _ => 1 };

    /// <summary>--clip-radius.</summary>
    public Option<double> ClipRadius { get; } = new("--clip-radius") { Description = "IVON: element-wise bound on the preconditioned step (ḡ + δm)/(h + δ) (default: none)", DefaultValueFactory = _ => double.PositiveInfinity };

    /// <summary>--weight-samples.</summary>
    public Option<int> WeightSamples { get; } = new("--weight-samples") { Description = "IVON and VI: weight samples of the predictive model average", DefaultValueFactory = _ => 64 };

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [LearningRate, Ess, HessianInit, Beta1, Beta2, McSamples, ClipRadius, WeightSamples];

    /// <summary>The IVON options these describe; errors name the option.</summary>
    public IvonOptions Options(ParseResult parsed)
    {
        var options = new IvonOptions
        {
            LearningRate = parsed.GetValue(LearningRate),
            EffectiveSampleSize = parsed.GetValue(Ess),
            HessianInit = parsed.GetValue(HessianInit),
            Beta1 = parsed.GetValue(Beta1),
            Beta2 = parsed.GetValue(Beta2),
            McSamples = parsed.GetValue(McSamples),
            ClipRadius = parsed.GetValue(ClipRadius),
        };
        try
        {
            return options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.ParamName switch
            {
                nameof(IvonOptions.LearningRate) => $"--ivon-lr must be positive; got {options.LearningRate}",
                nameof(IvonOptions.EffectiveSampleSize) => $"--ess must be positive; got {options.EffectiveSampleSize}",
                nameof(IvonOptions.HessianInit) => $"--hess-init must be positive; got {options.HessianInit}",
                nameof(IvonOptions.Beta1) => $"--beta1 must lie in [0, 1); got {options.Beta1}",
                nameof(IvonOptions.Beta2) => $"--beta2 must lie in [0, 1); got {options.Beta2}",
                nameof(IvonOptions.ClipRadius) => $"--clip-radius must be positive; got {options.ClipRadius}",
                nameof(IvonOptions.McSamples) => $"--mc-samples must be at least 1; got {options.McSamples}",
                _ => e.Message,
            });
        }
    }

    /// <summary>Weight samples of the model average, validated.</summary>
    public int Samples(ParseResult parsed)
    {
        int samples = parsed.GetValue(WeightSamples);
        if (samples < 1) throw new ArgumentException($"--weight-samples must be at least 1; got {samples}");
        return samples;
    }
}
