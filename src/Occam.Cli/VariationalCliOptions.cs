using System.CommandLine;
using Occam.Inference.Variational;

namespace Occam.Cli;

/// <summary>The Bayes-by-Backprop options of <c>occam fit</c> and <c>occam bench</c>.</summary>
public sealed class VariationalCliOptions
{
    /// <summary>--vi-initial-sd.</summary>
    public Option<double> InitialSd { get; } = new("--vi-initial-sd") { Description = "VI: initial standard deviation of every weight", DefaultValueFactory = _ => BayesianNetwork.DefaultInitialSd };

    /// <summary>--vi-samples.</summary>
    public Option<int> TrainingSamples { get; } = new("--vi-samples") { Description = "VI: weight samples per training step", DefaultValueFactory = _ => 1 };

    /// <summary>--vi-sd-lr-factor.</summary>
    public Option<double> ScaleFactor { get; } = new("--vi-sd-lr-factor") { Description = "VI: learning rate of the σ parameters as a multiple of the means'", DefaultValueFactory = _ => 10.0 };

    /// <summary>--vi-from-map.</summary>
    public Option<bool> FromMap { get; } = new("--vi-from-map") { Description = "VI: train a MAP network first and start the means there" };

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [InitialSd, TrainingSamples, ScaleFactor, FromMap];

    /// <summary>The VI options these describe (prediction samples shared with IVON's --weight-samples); errors name the option.</summary>
    public VariationalOptions Options(ParseResult parsed, int predictionSamples)
    {
        var options = new VariationalOptions
        {
            InitialSd = parsed.GetValue(InitialSd),
            TrainingSamples = parsed.GetValue(TrainingSamples),
            InitialiseFromMap = parsed.GetValue(FromMap),
            ScaleLearningRateFactor = parsed.GetValue(ScaleFactor),
            PredictionSamples = predictionSamples,
        };
        if (!(options.InitialSd > 0) || !double.IsFinite(options.InitialSd)) throw new ArgumentException($"--vi-initial-sd must be positive; got {options.InitialSd}");
        if (!(options.ScaleLearningRateFactor > 0) || !double.IsFinite(options.ScaleLearningRateFactor)) throw new ArgumentException($"--vi-sd-lr-factor must be positive; got {options.ScaleLearningRateFactor}");
        if (options.TrainingSamples < 1) throw new ArgumentException($"--vi-samples must be at least 1; got {options.TrainingSamples}");
        return options.Validate();
    }
}
