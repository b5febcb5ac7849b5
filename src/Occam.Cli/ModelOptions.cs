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
    public Option<string> Prior { get; } = new("--prior") { Description = "Prior on the weights: gaussian (precision --prior-precision), laplace (L1, scale --prior-scale) or spike-slab (feature selection on the first layer: --slab-scale, --spike-scale, --inclusion)", DefaultValueFactory = _ => "gaussian" };

    /// <summary>--prior-precision.</summary>
    public Option<double> PriorPrecision { get; } = new("--prior-precision") { Description = "Gaussian prior precision λ on the weights (= weight decay λ/N); with --prior spike-slab, on the weights outside the first layer", DefaultValueFactory = _ => 1.0 };

    /// <summary>--prior-scale.</summary>
    public Option<double?> PriorScale { get; } = new("--prior-scale") { Description = "Laplace prior scale b on the weights (density exp(−|w|/b)/2b; default 1); only with --prior laplace" };

    /// <summary>--slab-scale.</summary>
    public Option<double?> SlabScale { get; } = new("--slab-scale") { Description = "Spike-and-slab: sd of the first-layer weights of an included feature (default 1); only with --prior spike-slab" };

    /// <summary>--spike-scale.</summary>
    public Option<double?> SpikeScale { get; } = new("--spike-scale") { Description = "Spike-and-slab: sd of the first-layer weights of an excluded feature (default 0.1, below --slab-scale); only with --prior spike-slab" };

    /// <summary>--inclusion.</summary>
    public Option<string?> Inclusion { get; } = new("--inclusion") { Description = "Spike-and-slab: prior inclusion probability ρ in (0, 1), one value or one per input feature, comma separated (default 0.5); only with --prior spike-slab" };

    /// <summary>--prior-override.</summary>
    public Option<string?> PriorOverride { get; } = new("--prior-override") { Description = "Informative Gaussian priors on named MLP blocks, BLOCK=MEAN:VARIANCE, comma separated (blocks w1, b1, ..., output-weights, output-bias; in standardised units); with --prior gaussian or spike-slab" };

    /// <summary>--likelihood.</summary>
    public Option<string> Likelihood { get; } = new("--likelihood") { Description = "Regression likelihood: gaussian (learned noise), heteroscedastic (network predicts the variance), or fixed:SD", DefaultValueFactory = _ => "gaussian" };

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [Hidden, .. AllButArchitecture];

    /// <summary>All but --hidden, for commands that choose the architecture themselves (--activation still applies).</summary>
    public IEnumerable<Option> AllButArchitecture => [Activation, Epochs, BatchSize, LearningRate, Schedule, Optimizer, Prior, PriorPrecision, PriorScale, SlabScale, SpikeScale, Inclusion, PriorOverride, Likelihood];

    /// <summary>The model setup these options describe for data of <paramref name="task"/> with inputs of <paramref name="inputShape"/>, validated.</summary>
    public ModelSetup Setup(ParseResult parsed, TaskKind task, long[] inputShape)
    {
        var hidden = parsed.GetValue(Hidden) ?? "50";
        NetworkSpec network = hidden.Trim().Equals("lenet", StringComparison.OrdinalIgnoreCase)
            ? new LeNetSpec()
            : new MlpSpec(ParseWidths(hidden), parsed.GetValue(Activation));
        return Setup(parsed, task, network, inputShape);
    }

    /// <summary>The options other than --hidden (<see cref="AllButArchitecture"/>) around a given network for inputs of <paramref name="inputShape"/>, validated.</summary>
    public ModelSetup Setup(ParseResult parsed, TaskKind task, NetworkSpec network, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new ModelSetup
        {
            Network = network,
            Likelihood = task == TaskKind.Regression ? ParseLikelihood(parsed.GetValue(Likelihood) ?? "gaussian") : new CategoricalLikelihood(),
            Prior = ParsePrior(parsed, network, inputShape),
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

    /// <summary>The prior of --prior with its own flags; another prior's flag given explicitly is an error naming both.</summary>
    private IPrior ParsePrior(ParseResult parsed, NetworkSpec network, long[] inputShape)
    {
        var kind = (parsed.GetValue(Prior) ?? "gaussian").Trim().ToLowerInvariant();
        bool precisionGiven = parsed.GetResult(PriorPrecision) is { Implicit: false };
        double precision = Check(parsed.GetValue(PriorPrecision), "--prior-precision", v => v >= 0, "non-negative");
        double? scale = parsed.GetValue(PriorScale);
        string? overrides = parsed.GetValue(PriorOverride);
        if (kind != "laplace" && scale is not null) throw new ArgumentException("--prior-scale sets the scale of --prior laplace");
        if (kind != "spike-slab" && (parsed.GetValue(SlabScale) is not null || parsed.GetValue(SpikeScale) is not null || parsed.GetValue(Inclusion) is not null))
            throw new ArgumentException("--slab-scale, --spike-scale and --inclusion set --prior spike-slab");
        var layout = network is MlpSpec mlp ? new MlpLayout((int)inputShape.Aggregate(1L, (a, b) => a * b), mlp.Hidden) : null;
        switch (kind)
        {
            case "gaussian":
                return overrides is null ? new GaussianPrior(precision) : new InformativeGaussianPrior(precision, RequireMlp(layout, "--prior-override"), ParseOverrides(overrides, layout!));
            case "laplace":
                if (precisionGiven) throw new ArgumentException("--prior-precision sets a Gaussian prior; --prior laplace takes --prior-scale");
                if (overrides is not null) throw new ArgumentException("--prior-override sets Gaussian blocks; use it with --prior gaussian or spike-slab");
                return new LaplacePrior(Check(scale ?? 1.0, "--prior-scale", v => v > 0, "positive"));
            case "spike-slab":
                RequireMlp(layout, "--prior spike-slab");
                double spike = Check(parsed.GetValue(SpikeScale) ?? 0.1, "--spike-scale", v => v > 0, "positive");
                double slab = Check(parsed.GetValue(SlabScale) ?? 1.0, "--slab-scale", v => v > spike, $"larger than the spike scale ({spike})");
                var inclusion = ParseInclusion(parsed.GetValue(Inclusion) ?? "0.5", layout!.Inputs);
                var overridden = overrides is null ? [] : ParseOverrides(overrides, layout);
                if (overridden.Any(o => o.Block.Equals("w1", StringComparison.OrdinalIgnoreCase) || (layout.Hidden.Count == 0 && o.Block.Equals("output-weights", StringComparison.OrdinalIgnoreCase))))
                    throw new ArgumentException("--prior-override may not set the first layer's weights under --prior spike-slab (the spike and slab do)");
                return new SpikeAndSlabPrior(layout, inclusion, slab, spike, new InformativeGaussianPrior(precision, layout, overridden));
            default:
                throw new ArgumentException($"--prior must be gaussian, laplace or spike-slab; got '{parsed.GetValue(Prior)}'");
        }
    }

    private static MlpLayout RequireMlp(MlpLayout? layout, string what) =>
        layout ?? throw new ArgumentException($"{what} addresses the layers of an MLP; --hidden lenet has none");

    private static double[] ParseInclusion(string text, int features)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0 && values[i] < 1))
                throw new ArgumentException($"--inclusion expects probabilities strictly between 0 and 1, comma separated; got '{text}'");
        if (values.Length != 1 && values.Length != features)
            throw new ArgumentException($"--inclusion expects one probability or one per input feature ({features}); got {values.Length}");
        return values;
    }

    private static GaussianOverride[] ParseOverrides(string text, MlpLayout layout)
    {
        int layers = layout.Hidden.Count + 1;
        var names = Enumerable.Range(1, layers).SelectMany(l => new[] { $"w{l}", $"b{l}" }).Concat(["output-weights", "output-bias"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = new List<GaussianOverride>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (block, moments) = item.Split('=', 2) is [var b, var m] ? (b.Trim(), m.Split(':')) : ("", []);
            if (!names.Contains(block) || moments.Length != 2
                || !double.TryParse(moments[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var mean) || !double.IsFinite(mean)
                || !double.TryParse(moments[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var variance) || !(variance > 0) || !double.IsFinite(variance))
                throw new ArgumentException($"--prior-override expects BLOCK=MEAN:VARIANCE (blocks {string.Join(", ", names)}; variance positive); got '{item}'");
            result.Add(new GaussianOverride(block, mean, variance));
        }
        string Canonical(string block) => block.ToLowerInvariant() switch { "output-bias" => $"b{layers}", "output-weights" => $"w{layers}", var b => b };
        if (result.GroupBy(o => Canonical(o.Block)).Any(g => g.Count() > 1)) throw new ArgumentException($"--prior-override sets a block twice; got '{text}'");
        return [.. result];
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
