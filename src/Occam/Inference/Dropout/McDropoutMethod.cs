using Occam.Core;
using Occam.Posteriors;
using Occam.Posteriors.Weights;

namespace Occam.Inference.Dropout;

/// <summary>
/// MC dropout (Gal &amp; Ghahramani 2016): train one network with dropout (the prior's weight decay
/// included), then keep dropout on at prediction and average S stochastic passes.
/// </summary>
public sealed class McDropoutMethod : NetworkMethod<McDropoutOptions>
{
    /// <summary>Creates the method; Occam's networks without dropout get the options' rate.</summary>
    /// <exception cref="ArgumentException">A custom network without dropout layers.</exception>
    public McDropoutMethod(ModelSetup setup, McDropoutOptions? options = null)
        : base("mc-dropout", WithDropout(setup, options ?? new McDropoutOptions()), options ?? new McDropoutOptions()) { }

    /// <summary>The registry entry.</summary>
    public static MethodEntry Entry { get; } = MethodEntry.Create("mc-dropout", "MC dropout: one network trained with dropout, dropout kept on to average S stochastic passes",
        new McDropoutOptions(), (setup, options) => new McDropoutMethod(setup, options));

    /// <inheritdoc />
    public override IPosteriorMethod With(ModelSetup setup) => new McDropoutMethod(setup, Options);

    /// <inheritdoc />
    protected override IPosterior Fit(NetworkFit fit)
    {
        var (network, likelihood) = TrainMap(fit, 1, fit.Context.Seed, Name);
        return new WeightPosterior(Name, fit.Frame, Setup.Network, network, likelihood, new DropoutWeights(Options.Samples), fit.Context.Seed);
    }

    private static ModelSetup WithDropout(ModelSetup setup, McDropoutOptions options)
    {
        ArgumentNullException.ThrowIfNull(setup);
        options.Validate();
        return setup with { Network = setup.Network.WithDropout(options.DropoutRate) };
    }
}
