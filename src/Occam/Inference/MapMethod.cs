using Occam.Data;
using Occam.Likelihoods;
using Occam.Training;

namespace Occam.Inference;

/// <summary>Maximum a posteriori: one network at the posterior mode, a single-member predictive (the baseline).</summary>
public sealed class MapMethod : NetworkMethod
{
    /// <summary>Creates the method.</summary>
    public MapMethod(ModelSetup setup) : base(setup) { }

    /// <inheritdoc />
    public override string Name => "map";

    /// <inheritdoc />
    protected override IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context) =>
        [TrainOne(data, likelihood, description, context, 1, "map")];
}
