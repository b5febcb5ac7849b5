using System.CommandLine;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;

namespace Occam.Cli;

/// <summary>The model options of <c>fit</c>: architecture, likelihood, prior and training (methods' own options are <see cref="MethodFlags"/>).</summary>
public sealed class ModelOptions
{
    /// <summary>--hidden.</summary>
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden widths of the MLP, comma separated (e.g. 50 or 100,100); 'lenet' for the LeNet-5 CNN on images", DefaultValueFactory = _ => "50" };

    /// <summary>--activation.</summary>
    public Option<Activation> Activation { get; } = new("--activation") { Description = "Hidden non-linearity", DefaultValueFactory = _ => Models.Activation.ReLU };

    /// <summary>--epochs.</summary>
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 40 };

    /// <summary>--batch-size.</summary>
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Mini-batch size", DefaultValueFactory = _ => 32 };

    /// <summary>--lr.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 1e-2 };

    /// <summary>--schedule.</summary>
    public Option<string> Schedule { get; } = CommonOptions.Schedule();

    /// <summary>--optimizer.</summary>
    public Option<OptimizerKind> Optimizer { get; } = new("--optimizer") { Description = "Optimiser", DefaultValueFactory = _ => OptimizerKind.Adam };

    /// <summary>--prior.</summary>
    public Option<string> Prior { get; } = new("--prior") { Description = "Prior on the weights: gaussian (precision --prior-precision) or laplace (L1, scale --prior-scale)", DefaultValueFactory = _ => "gaussian" };

    /// <summary>--prior-precision.</summary>
    public Option<double> PriorPrecision { get; } = new("--prior-precision") { Description = "Gaussian prior precision λ on the weights (= weight decay λ/N)", DefaultValueFactory = _ => 1.0 };

    /// <summary>--prior-scale.</summary>
    public Option<double?> PriorScale { get; } = new("--prior-scale") { Description = "Laplace prior scale b on the weights (density exp(−|w|/b)/2b; default 1); only with --prior laplace" };

    /// <summary>--likelihood.</summary>
    public Option<string> Likelihood { get; } = new("--likelihood") { Description = "Regression likelihood: gaussian (learned noise), heteroscedastic (network predicts the variance), or fixed:SD", DefaultValueFactory = _ => "gaussian" };

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [Hidden, .. AllButArchitecture];

    /// <summary>All but --hidden, for commands that choose the architecture themselves (--activation still applies).</summary>
    public IEnumerable<Option> AllButArchitecture => [Activation, Epochs, BatchSize, LearningRate, Schedule, Optimizer, Prior, PriorPrecision, PriorScale, Likelihood];

    /// <summary>The model setup these options describe, validated.</summary>
    public ModelSetup Setup(ParseResult parsed, TaskKind task)
    {
        var hidden = parsed.GetValue(Hidden) ?? "50";
        NetworkSpec network = hidden.Trim().Equals("lenet", StringComparison.OrdinalIgnoreCase)
            ? new LeNetSpec()
            : new MlpSpec(ParseWidths(hidden), parsed.GetValue(Activation));
        return Setup(parsed, task, network);
    }

    /// <summary>The options other than --hidden (<see cref="AllButArchitecture"/>) around a given network, validated.</summary>
    public ModelSetup Setup(ParseResult parsed, TaskKind task, NetworkSpec network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new ModelSetup
        {
            Network = network,
            Likelihood = task == TaskKind.Regression ? ParseLikelihood(parsed.GetValue(Likelihood) ?? "gaussian") : new CategoricalLikelihood(),
            Prior = ParsePrior(parsed),
            Training = new TrainerOptions
            {
                Epochs = (int)Check(parsed.GetValue(Epochs), "--epochs", v => v >= 1, "at least 1"),
                BatchSize = (int)Check(parsed.GetValue(BatchSize), "--batch-size", v => v >= 1, "at least 1"),
                LearningRate = Check(parsed.GetValue(LearningRate), "--lr", v => v > 0, "positive"),
                Optimizer = parsed.GetValue(Optimizer),
                Schedule = CommonOptions.ParseSchedule(parsed.GetValue(Schedule)),
            },
        };
    }

    private static int[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out widths[i]) || widths[i] < 1)
                throw new ArgumentException($"--hidden expects positive integers separated by commas (e.g. 50 or 100,100); got '{text}'");
        return widths;
    }

    /// <summary>The prior of --prior with its own scale flag; the other prior's flag given explicitly is an error naming both.</summary>
    private IPrior ParsePrior(ParseResult parsed)
    {
        var kind = (parsed.GetValue(Prior) ?? "gaussian").Trim().ToLowerInvariant();
        bool precisionGiven = parsed.GetResult(PriorPrecision) is { Implicit: false };
        double? scale = parsed.GetValue(PriorScale);
        switch (kind)
        {
            case "gaussian":
                if (scale is not null) throw new ArgumentException("--prior-scale sets the scale of --prior laplace; a Gaussian prior takes --prior-precision");
                return new GaussianPrior(Check(parsed.GetValue(PriorPrecision), "--prior-precision", v => v >= 0, "non-negative"));
            case "laplace":
                if (precisionGiven) throw new ArgumentException("--prior-precision sets a Gaussian prior; --prior laplace takes --prior-scale");
                return new LaplacePrior(Check(scale ?? 1.0, "--prior-scale", v => v > 0, "positive"));
            default:
                throw new ArgumentException($"--prior must be gaussian or laplace; got '{parsed.GetValue(Prior)}'");
        }
    }

    private static Likelihood ParseLikelihood(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "gaussian") return new GaussianLikelihood();
        if (t == "heteroscedastic") return new HeteroscedasticGaussianLikelihood();
        if (t.StartsWith("fixed:", StringComparison.Ordinal) && double.TryParse(t[6..], System.Globalization.CultureInfo.InvariantCulture, out var sd) && sd > 0)
            return new GaussianLikelihood(sd, learnNoise: false);
        throw new ArgumentException($"--likelihood must be gaussian, heteroscedastic or fixed:SD (SD > 0, in standardised units); got '{text}'");
    }

    private static double Check(double value, string option, Func<double, bool> ok, string expected) =>
        ok(value) && double.IsFinite(value) ? value : throw new ArgumentException($"{option} must be {expected}; got {value}");
}
