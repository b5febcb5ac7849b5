using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// BatchBALD (Kirsch, van Amersfoort &amp; Gal 2019): chooses the batch greedily by the mutual information
/// between the batch's joint labels and the model, I[y₁…ᵦ; θ] = H(y₁…ᵦ) − Σᵢ E_θ H(yᵢ | θ), so a point that
/// repeats what the batch already asks scores low (top-b BALD would take near-duplicates). The joint entropy is
/// exact while the batch's label configurations number at most <see cref="Configurations"/>, and estimated from
/// that many sampled configurations after (<see cref="JointConfigurations"/>). The greedy choice is within a
/// (1 − 1/e) factor of the best batch (the score is submodular).
/// <para>
/// Candidates are first narrowed to the <see cref="Candidates"/> of highest BALD, whose members are then
/// predicted in one call, so each member is one function for the whole batch. That holds for weight-space
/// posteriors (ensembles, IVON, VI, samplers, Laplace's sampled predictive) and for Occam's LeNet-5 under MC
/// dropout (consistent masks); members drawn per input (latent-Gaussian classification, independent dropout
/// masks) make the joint close to a product of marginals, and the choice close to top-b BALD.
/// </para>
/// </summary>
public sealed class BatchBald : Acquisition
{
    /// <summary>Creates the acquisition.</summary>
    /// <param name="candidates">Candidates kept after the BALD pre-selection (default 1,000).</param>
    /// <param name="configurations">Largest number of exact label configurations, and the number sampled beyond it (default 4,096).</param>
    public BatchBald(int candidates = 1000, int configurations = 4096)
    {
        if (candidates < 1) throw new ArgumentOutOfRangeException(nameof(candidates), $"Candidates must be at least 1; got {candidates}.");
        if (configurations < 1) throw new ArgumentOutOfRangeException(nameof(configurations), $"Configurations must be at least 1; got {configurations}.");
        Candidates = candidates;
        Configurations = configurations;
    }

    /// <summary>Candidates kept after the BALD pre-selection.</summary>
    public int Candidates { get; }

    /// <summary>Exact configurations up to this many; sampled configurations beyond.</summary>
    public int Configurations { get; }

    /// <inheritdoc />
    public override string Name => "batchbald";

    /// <inheritdoc />
    public override string Description => "BatchBALD: greedy batch of largest joint mutual information (diverse batches)";

    /// <inheritdoc />
    public override bool RequiresEpistemic => true;

    /// <inheritdoc />
    public override bool Supports(TaskKind task) => task == TaskKind.Classification;

    /// <summary>Per-point score: BALD (the batch score of a batch of one).</summary>
    public override Tensor Score(Predictive predictive)
    {
        ArgumentNullException.ThrowIfNull(predictive);
        return predictive.MutualInformation();
    }

    /// <inheritdoc />
    public override Selection Select(SelectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = NewDisposeScope();
        var bald = PoolScorer.Score(request, this);
        var shortlist = Selection.Top(bald, Candidates).Positions;
        if (shortlist.Length == 0) return new Selection([], []);
        var inputs = request.Candidates.index_select(0, tensor(shortlist).to(request.Candidates.device));
        using var predictive = request.Posterior.Predict(inputs, request.Predict with { BatchSize = shortlist.Length });
        using var members = predictive.MemberProbabilities;
        var (picks, scores) = Greedy(members, request.Count, Configurations, request.Random);
        return new Selection(picks.Select(p => shortlist[p]).ToArray(), scores);
    }

    /// <summary>
    /// The greedy BatchBALD batch of <paramref name="count"/> points among candidates with member probabilities
    /// [S, M, C]: positions in choice order and the joint mutual information of the batch after each choice (nats).
    /// </summary>
    public static (long[] Positions, double[] Scores) Greedy(Tensor memberProbabilities, int count, int configurations, Generator random)
    {
        Check(memberProbabilities);
        ArgumentNullException.ThrowIfNull(random);
        using var scope = NewDisposeScope();
        var probabilities = memberProbabilities.to_type(ScalarType.Float64);
        long s = probabilities.shape[0], m = probabilities.shape[1], c = probabilities.shape[2];
        var conditional = MemberEntropy(probabilities).mean(new long[] { 0 }); // E_s H(y_j | θ_s), [M]
        var available = Enumerable.Repeat(true, (int)m).ToArray();
        var positions = new List<long>();
        var scores = new List<double>();
        var chosen = new List<Tensor>();
        double conditionalSum = 0;
        using var configurationsSoFar = JointConfigurations.Empty(s);
        for (int step = 0; step < Math.Min(count, m); step++)
        {
            using var inner = NewDisposeScope();
            var gain = configurationsSoFar.Entropies(probabilities) - conditional - conditionalSum;
            gain = where(tensor(available), gain, full_like(gain, double.NegativeInfinity));
            long best = gain.argmax().item<long>(); // first maximum on ties
            positions.Add(best);
            scores.Add(gain[best].item<double>());
            conditionalSum += conditional[best].item<double>();
            available[best] = false;
            var point = probabilities.select(1, best).MoveToOuterDisposeScope(); // [S, C]
            chosen.Add(point);
            if (configurationsSoFar.IsExact && configurationsSoFar.Count * c <= configurations) configurationsSoFar.Extend(point);
            else configurationsSoFar.Resample(chosen, configurations, random);
        }
        return (positions.ToArray(), scores.ToArray());
    }

    /// <summary>
    /// The joint entropy H(y₁…ₙ) in nats of n points with member probabilities [S, n, C], by the same
    /// configurations as <see cref="Greedy"/> (exact up to <paramref name="configurations"/>, sampled beyond).
    /// </summary>
    public static double JointEntropy(Tensor memberProbabilities, int configurations, Generator random)
    {
        Check(memberProbabilities);
        ArgumentNullException.ThrowIfNull(random);
        using var scope = NewDisposeScope();
        var probabilities = memberProbabilities.to_type(ScalarType.Float64);
        long s = probabilities.shape[0], n = probabilities.shape[1], c = probabilities.shape[2];
        if (n == 0) return 0;
        using var joint = JointConfigurations.Empty(s);
        var chosen = new List<Tensor>();
        for (long i = 0; i + 1 < n; i++)
        {
            chosen.Add(probabilities.select(1, i));
            if (joint.IsExact && joint.Count * c <= configurations) joint.Extend(chosen[^1]);
            else joint.Resample(chosen, configurations, random);
        }
        return joint.Entropies(probabilities.narrow(1, n - 1, 1)).item<double>();
    }

    /// <summary>The joint mutual information I[y₁…ₙ; θ] = H(y₁…ₙ) − Σᵢ E_s H(yᵢ | θₛ) in nats of n points with member probabilities [S, n, C].</summary>
    public static double MutualInformation(Tensor memberProbabilities, int configurations, Generator random)
    {
        Check(memberProbabilities);
        using var scope = NewDisposeScope();
        double conditional = MemberEntropy(memberProbabilities.to_type(ScalarType.Float64)).mean(new long[] { 0 }).sum().item<double>();
        return JointEntropy(memberProbabilities, configurations, random) - conditional;
    }

    private static Tensor MemberEntropy(Tensor probabilities) =>
        -(probabilities * probabilities.clamp_min(1e-300).log()).sum(new long[] { 2 }); // [S, M]

    private static void Check(Tensor memberProbabilities)
    {
        ArgumentNullException.ThrowIfNull(memberProbabilities);
        if (memberProbabilities.dim() != 3)
            throw new ArgumentException($"Member probabilities must be [S, N, C]; got [{string.Join(", ", memberProbabilities.shape)}].", nameof(memberProbabilities));
    }
}
