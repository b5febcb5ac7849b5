using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Training;

namespace Occam.Inference.Dropout;

/// <summary>
/// MC dropout (Gal &amp; Ghahramani 2016): train one network with dropout (the prior's weight decay
/// included), then keep dropout on at test time and average S stochastic passes.
/// </summary>
public sealed class McDropoutMethod : NetworkMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="setup">The model; an MLP spec without dropout gets <paramref name="rate"/>.</param>
    /// <param name="rate">Dropout rate used when the MLP spec has none (default 0.05).</param>
    /// <param name="samples">Stochastic passes S at prediction (default 100).</param>
    public McDropoutMethod(ModelSetup setup, double rate = 0.05, int samples = 100) : base(WithDropout(setup, rate))
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be at least 1; got {samples}.");
        Samples = samples;
    }

    /// <summary>Stochastic passes S at prediction.</summary>
    public int Samples { get; }

    /// <inheritdoc />
    public override string Name => "mc-dropout";

    /// <inheritdoc />
    protected override int Passes => Samples;

    /// <inheritdoc />
    protected override IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context) =>
        [TrainOne(data, likelihood, description, context, 1, "mc-dropout")];

    private static ModelSetup WithDropout(ModelSetup setup, double rate)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (!(rate > 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout rate must lie in (0, 1); got {rate}.");
        return setup.Network switch
        {
            MlpSpec { Dropout: 0 } mlp => setup with { Network = mlp with { Dropout = rate } },
            LeNetSpec { Dropout: 0 } lenet => setup with { Network = lenet with { Dropout = rate } },
            { HasDropout: true } => setup,
            var other => throw new ArgumentException($"MC dropout needs a network with dropout layers; {other.Describe()} has none.", nameof(setup)),
        };
    }
}
