using Occam.Data;
using Occam.Likelihoods;
using Occam.Training;

namespace Occam.Inference.Ensembles;

/// <summary>
/// Deep ensembles (Lakshminarayanan et al. 2017): K networks trained from different random
/// initialisations and data orders; the predictive is their equal-weight mixture. Architectures
/// that can stack members (Occam's MLP) train all K in one batched pass; other modules are
/// trained one after another.
/// </summary>
public sealed class EnsembleMethod : NetworkMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="setup">Model of each member.</param>
    /// <param name="members">Ensemble size K ≥ 1 (default 5).</param>
    /// <param name="batched">Train stacked members together where the architecture allows (default true).</param>
    public EnsembleMethod(ModelSetup setup, int members = 5, bool batched = true) : base(setup)
    {
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"An ensemble needs at least one member; got {members}.");
        MemberCount = members;
        Batched = batched;
    }

    /// <summary>Ensemble size K.</summary>
    public int MemberCount { get; }

    /// <summary>Whether stacked members are trained in one pass.</summary>
    public bool Batched { get; }

    /// <inheritdoc />
    public override string Name => "ensemble";

    /// <inheritdoc />
    protected override IReadOnlyList<NetworkMember> FitMembers(Dataset data, Likelihood likelihood, NetworkDescription description, FitContext context)
    {
        if (Batched && Setup.Network.SupportsMembers && MemberCount > 1)
            return [TrainOne(data, likelihood, description, context, MemberCount, $"ensemble of {MemberCount}")];
        var members = new List<NetworkMember>();
        try
        {
            for (int k = 0; k < MemberCount; k++)
                members.Add(TrainOne(data, likelihood, description, context.WithSeed(MemberSeed(context.Seed, k)), 1, $"member {k + 1}/{MemberCount}"));
            return members;
        }
        catch
        {
            foreach (var m in members)
            {
                m.Network.Dispose();
                m.Likelihood.Dispose();
            }
            throw;
        }
    }

    private static long MemberSeed(long seed, int member) => unchecked(seed * 1_000_003 + member + 1); // never the MAP seed
}
