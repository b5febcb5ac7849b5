using System.CommandLine;
using Occam.Inference.Laplace;

namespace Occam.Cli;

/// <summary>The Laplace options of <c>occam fit</c> and <c>occam bench</c>.</summary>
public sealed class LaplaceCliOptions
{
    /// <summary>--subset.</summary>
    public Option<string> Subset { get; } = new("--subset") { Description = "Laplace: weights covered: all, last-layer or subnetwork", DefaultValueFactory = _ => "last-layer" };

    /// <summary>--hessian.</summary>
    public Option<string> Hessian { get; } = new("--hessian") { Description = "Laplace: curvature structure: full, diag, kron or lowrank", DefaultValueFactory = _ => "kron" };

    /// <summary>--curvature.</summary>
    public Option<string> Curvature { get; } = new("--curvature") { Description = "Laplace: ggn, ef (empirical Fisher) or mc (Monte Carlo Fisher: one backward pass per example, expectation = GGN)", DefaultValueFactory = _ => "ggn" };

    /// <summary>--kfac.</summary>
    public Option<string> Kfac { get; } = new("--kfac") { Description = "Laplace KFAC for convolutions: expand (positions as examples) or reduce (mean patch; much cheaper)", DefaultValueFactory = _ => "expand" };

    /// <summary>--link.</summary>
    public Option<string> Link { get; } = new("--link") { Description = "Laplace classification: probit or mc (Monte Carlo logits)", DefaultValueFactory = _ => "probit" };

    /// <summary>--predictive.</summary>
    public Option<string> Predictive { get; } = new("--predictive") { Description = "Laplace: glm (linearised) or nn (sample weights through the network)", DefaultValueFactory = _ => "glm" };

    /// <summary>--tune.</summary>
    public Option<string> Tune { get; } = new("--tune") { Description = "Laplace prior tuning: evidence, validation or none", DefaultValueFactory = _ => "evidence" };

    /// <summary>--per-layer-prior.</summary>
    public Option<bool> PerLayer { get; } = new("--per-layer-prior") { Description = "Laplace: one prior precision per layer" };

    /// <summary>--rank.</summary>
    public Option<int> Rank { get; } = new("--rank") { Description = "Laplace low-rank structure: rank k", DefaultValueFactory = _ => 20 };

    /// <summary>--subnetwork-size.</summary>
    public Option<int> SubnetworkSize { get; } = new("--subnetwork-size") { Description = "Laplace subnetwork: weights with the largest marginal variance", DefaultValueFactory = _ => 200 };

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [Subset, Hessian, Curvature, Kfac, Link, Predictive, Tune, PerLayer, Rank, SubnetworkSize];

    /// <summary>The Laplace options these describe, validated.</summary>
    public LaplaceOptions Options(ParseResult parsed, int samples) => new LaplaceOptions
    {
        Subset = Pick(parsed.GetValue(Subset), "--subset", ("all", WeightSubset.All), ("last-layer", WeightSubset.LastLayer), ("subnetwork", WeightSubset.Subnetwork)),
        Structure = Pick(parsed.GetValue(Hessian), "--hessian", ("full", HessianStructure.Full), ("diag", HessianStructure.Diagonal), ("kron", HessianStructure.Kron), ("lowrank", HessianStructure.LowRank)),
        Curvature = Pick(parsed.GetValue(Curvature), "--curvature", ("ggn", CurvatureKind.Ggn), ("ef", CurvatureKind.EmpiricalFisher), ("mc", CurvatureKind.MonteCarloFisher)),
        KfacConvolution = Pick(parsed.GetValue(Kfac), "--kfac", ("expand", KfacConvolution.Expand), ("reduce", KfacConvolution.Reduce)),
        Link = Pick(parsed.GetValue(Link), "--link", ("probit", ClassificationLink.Probit), ("mc", ClassificationLink.MonteCarlo)),
        Prediction = Pick(parsed.GetValue(Predictive), "--predictive", ("glm", LaplacePrediction.Glm), ("nn", LaplacePrediction.Sampled)),
        Tuning = Pick(parsed.GetValue(Tune), "--tune", ("evidence", PriorTuning.Evidence), ("validation", PriorTuning.Validation), ("none", PriorTuning.None)),
        PerLayerPrior = parsed.GetValue(PerLayer),
        Rank = parsed.GetValue(Rank),
        SubnetworkSize = parsed.GetValue(SubnetworkSize),
        Samples = samples,
    }.Validate();

    private static T Pick<T>(string? value, string option, params (string Name, T Value)[] choices)
    {
        var key = (value ?? "").Trim().ToLowerInvariant();
        foreach (var (name, v) in choices)
            if (name == key) return v;
        throw new ArgumentException($"{option} must be one of {string.Join(", ", choices.Select(c => c.Name))}; got '{value}'");
    }
}
