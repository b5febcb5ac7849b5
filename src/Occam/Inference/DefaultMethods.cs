using Occam.Core;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Inference.GaussianProcesses;
using Occam.Inference.Laplace;
using Occam.Inference.Map;
using Occam.Inference.Sampling;
using Occam.Inference.Swa;
using Occam.Inference.Swag;
using Occam.Inference.Variational;
using Occam.Posteriors;
using Occam.Posteriors.Weights;

namespace Occam.Inference;

/// <summary>Occam's own methods and posterior formats, one registration line each: <see cref="MethodRegistry.Default"/>.</summary>
public static class DefaultMethods
{
    /// <summary>A registry holding every method Occam ships.</summary>
    public static MethodRegistry Create()
    {
        var registry = new MethodRegistry()
            .AddFormat(WeightPosteriorStore.Kind, (stored, context, r) => WeightPosteriorStore.Load(stored, context, r))
            .AddDistribution(WeightSamples.KindName, WeightSamples.Load)
            .AddDistribution(DiagonalGaussianWeights.KindName, DiagonalGaussianWeights.Load)
            .AddDistribution(DropoutWeights.KindName, DropoutWeights.Load)
            .AddDistribution(ChainSamples.KindName, ChainSamples.Load)
            .AddFormat(GpStore.Kind, (stored, context, _) => GpStore.Load(stored, context));
        registry.Add(MapMethod.Entry);
        registry.Add(EnsembleMethod.Entry);
        registry.Add(McDropoutMethod.Entry);
        LaplaceRegistration.Register(registry);
        registry.Add(IvonMethod.Entry);
        registry.Add(BayesByBackpropMethod.Entry);
        registry.Add(SwaMethod.Entry);
        registry.Add(SgldMethod.Entry);
        registry.Add(PsgldMethod.Entry);
        registry.Add(SghmcMethod.Entry);
        registry.Add(CsgldMethod.Entry);
        registry.Add(CsghmcMethod.Entry);
        registry.Add(HmcMethod.Entry);
        SwagRegistration.Register(registry);
        registry.Add(GaussianProcessMethod.Entry);
        registry.Add(SparseGpMethod.Entry);
        registry.Add(NngpGpMethod.Entry);
        registry.Add(DeepKernelMethod.Entry);
        return registry;
    }
}
