using Occam.Core;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Saves and restores Laplace posteriors (kind "laplace"): the payload holds the options, the tuned
/// hyperparameters, the data-fit terms of the evidence, the architecture and the likelihood; the
/// tensors hold the MAP network (θ and buffers), the curvature structure's factors and the subnetwork's
/// indices. θ*, the weight stack and the layer map are rebuilt from the network.
/// </summary>
internal static class LaplaceStore
{
    /// <summary>The stored posterior kind.</summary>
    public const string Kind = "laplace";

    public static void Save(LaplacePosterior posterior, string directory)
    {
        var evidence = posterior.EvidenceTerms;
        var payload = new Payload(NetworkSpecDto.From(posterior.Spec), LikelihoodDto.From(posterior.Likelihood), posterior.Options,
            posterior.PriorPrecision, posterior.NoiseSd, evidence.SumSquaredResiduals, evidence.Targets, evidence.FixedLogLikelihood,
            posterior.CurvatureStructure.Structure);
        var tensors = NetworkStore.Tensors(posterior.Network);
        var factors = CurvatureTensors(posterior.CurvatureStructure);
        for (int i = 0; i < factors.Count; i++) tensors[$"curvature.{i}"] = factors[i];
        if (posterior.SubsetIndices is { } subset) tensors["subset"] = subset.clone();
        try
        {
            PosteriorStore.Write(directory, new PosteriorManifest(Kind, posterior.Method, posterior.Seed, posterior.Frame, PosteriorManifest.ToPayload(payload)), tensors);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    public static LaplacePosterior Load(StoredPosterior stored, LoadContext context)
    {
        var m = stored.Manifest.ReadPayload<Payload>();
        var spec = m.Network.ToSpec(context.Network);
        var network = NetworkStore.Rebuild(spec, stored.Manifest.Frame, stored, context.Device ?? CPU);
        var likelihood = m.Likelihood.ToLikelihood();
        WeightStack? stack = null;
        try
        {
            using var scope = NewDisposeScope();
            stack = WeightStack.From(network, m.Options.Subset, stored.Manifest.Frame.InputShape, m.Options.LastLayer);
            var factors = stored.Tensors.Keys.Where(k => k.StartsWith("curvature.", StringComparison.Ordinal))
                .OrderBy(k => int.Parse(k["curvature.".Length..], System.Globalization.CultureInfo.InvariantCulture)).Select(stored.Tensor).ToList();
            var subset = m.Options.Subset == WeightSubset.Subnetwork ? stored.Tensor("subset") : null;
            var curvature = Rebuild(m.Structure, factors);
            var theta = stack.Theta();
            var covered = subset is null ? theta : theta.index_select(0, subset);
            var layerIndex = cat(stack.LayerSizes.Select((size, l) => full(size, (long)l, ScalarType.Int64)).ToArray());
            if (subset is not null) layerIndex = layerIndex.index_select(0, subset);
            bool unitNoise = CurvatureBuilder.UsesUnitNoise(likelihood, m.Options.Curvature);
            var evidence = new EvidenceModel(curvature, covered.clone(), layerIndex, unitNoise, m.SumSquaredResiduals, m.Targets, m.FixedLogLikelihood);
            return new LaplacePosterior(stored.Manifest.Method, stored.Manifest.Frame, spec, network, stack, curvature, evidence, theta, subset, likelihood,
                m.Options, m.PriorPrecision, m.NoiseSd, stored.Manifest.Seed);
        }
        catch
        {
            stack?.Dispose();
            network.Dispose();
            likelihood.Dispose();
            throw;
        }
    }

    private static List<Tensor> CurvatureTensors(ICurvature curvature) => curvature switch
    {
        DenseCurvature d => [d.ToDense()],
        DiagonalCurvature d => [d.Diagonal],
        KroneckerCurvature k => k.EigenFactors().ToList(),
        LowRankCurvature l => [l.Eigenvectors, l.Eigenvalues],
        _ => throw new NotSupportedException($"Saving a {curvature.Structure} curvature is not supported."),
    };

    private static ICurvature Rebuild(string structure, List<Tensor> t) => structure switch
    {
        "full" => new DenseCurvature(t[0]),
        "diag" => new DiagonalCurvature(t[0]),
        "kron" => KroneckerCurvature.FromEigenFactors(t),
        "lowrank" => new LowRankCurvature(t[0], t[1]),
        _ => throw new NotSupportedException($"Unknown curvature structure '{structure}'."),
    };

    private sealed record Payload(NetworkSpecDto Network, LikelihoodDto Likelihood, LaplaceOptions Options, double[] PriorPrecision, double? NoiseSd,
        double SumSquaredResiduals, long Targets, double FixedLogLikelihood, string Structure);
}
