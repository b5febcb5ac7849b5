using Occam.Core;
using Occam.Core.Options;

namespace Occam.Inference.Map;

/// <summary>MAP takes no options of its own: the model setup says everything.</summary>
public sealed record MapOptions : IMethodOptions
{
    /// <inheritdoc />
    public void Validate() { }
}

/// <summary>Maximum a posteriori: one network at the posterior mode, a single-member predictive (the baseline every other method must beat).</summary>
public sealed class MapMethod : NetworkMethod<MapOptions>
{
    /// <summary>Creates the method.</summary>
    public MapMethod(ModelSetup setup, MapOptions? options = null) : base("map", setup, options ?? new MapOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("map", "maximum a posteriori: one network at the posterior mode (the baseline)",
        new MapOptions(), (setup, options) => new MapMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new MapMethod(setup, Options);

    /// <summary>False: one weight vector, no epistemic part.</summary>
    public override bool HasEpistemicPart => false;

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var (network, likelihood) = TrainMap(fit, 1, fit.Context.Seed, Name);
        var theta = WeightSpace.Of(network).Get().unsqueeze(0);
        return SamplesPosterior(fit, network, likelihood, theta);
    }
}
