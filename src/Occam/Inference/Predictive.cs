using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference;

/// <summary>
/// The Bayesian model average p(y|x,D) ≈ (1/S) Σₛ p(y|x,wₛ) for a batch of N inputs, kept as its
/// S members (ensemble members, MC samples, posterior draws; S = 1 for MAP or a closed form).
/// Regression members are Gaussians N(μₛ, σ²ₛ) per target; classification members are categorical
/// distributions. Everything else is derived from the members: mean, the variance split into an
/// aleatoric part E[σ²ₛ] and an epistemic part Var[μₛ], class probabilities, log predictive density,
/// entropy and mutual information. Values are float64. Every property and method returns a fresh
/// tensor that the caller owns and must dispose.
/// </summary>
public sealed partial class Predictive : IDisposable
{
    private Tensor? _a; // regression: member means [S,N,T]; classification: member log-probabilities [S,N,C]; null until drawn when _draws is set
    private readonly LatentLogitDraws? _draws; // classification: latent draws behind A, made on first use
    private readonly long[] _shape; // [S, N, T or C]
    private readonly Tensor? _b; // regression: member aleatoric variances [S,N,T]
    private readonly Tensor? _c; // regression: member epistemic (function-space) variances [S,N,T], closed-form posteriors only
    private readonly Tensor? _p; // classification: closed-form class probabilities [N,C] (e.g. probit), replacing the member average
    private bool _disposed;

    private Predictive(TaskKind task, Tensor a, Tensor? b, Tensor? c = null, Tensor? p = null)
    {
        Task = task;
        _a = a.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
        _shape = _a.shape;
        _b = b?.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
        _c = c?.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
        _p = p?.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
    }

    private Predictive(LatentLogitDraws draws, Tensor probabilities)
    {
        Task = TaskKind.Classification;
        _draws = draws;
        _shape = [draws.Samples, draws.Count, draws.Width];
        _p = probabilities.to(ScalarType.Float64, copy: true).DetachFromDisposeScope();
    }

    /// <summary>The members, drawn on first use for latent predictives.</summary>
    private Tensor A
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _a ??= _draws!.Draw().DetachFromDisposeScope();
        }
    }

    /// <summary>Gaussian members: means and (aleatoric) variances, both [S, N, T] or [N, T] (one member).</summary>
    public static Predictive Regression(Tensor memberMeans, Tensor memberVariances)
    {
        ArgumentNullException.ThrowIfNull(memberMeans);
        ArgumentNullException.ThrowIfNull(memberVariances);
        using var scope = NewDisposeScope();
        if (memberMeans.dim() == 2) memberMeans = memberMeans.unsqueeze(0);
        if (memberVariances.dim() == 2) memberVariances = memberVariances.unsqueeze(0);
        if (memberMeans.dim() != 3) throw new ArgumentException($"Member means must be [S, N, T]; got [{string.Join(", ", memberMeans.shape)}].", nameof(memberMeans));
        var variances = memberVariances.expand(memberMeans.shape);
        return new Predictive(TaskKind.Regression, memberMeans, variances);
    }

    /// <summary>
    /// Gaussian members whose variance has a closed-form epistemic part (e.g. a linearised Laplace
    /// or GP posterior): member s is N(μₛ, σ²ₛ + vₛ) with aleatoric σ²ₛ and epistemic vₛ, all [S, N, T] or [N, T].
    /// Epistemic variance is then Var_s[μₛ] + E_s[vₛ].
    /// </summary>
    public static Predictive Regression(Tensor memberMeans, Tensor aleatoricVariances, Tensor epistemicVariances)
    {
        ArgumentNullException.ThrowIfNull(memberMeans);
        ArgumentNullException.ThrowIfNull(aleatoricVariances);
        ArgumentNullException.ThrowIfNull(epistemicVariances);
        using var scope = NewDisposeScope();
        if (memberMeans.dim() == 2) memberMeans = memberMeans.unsqueeze(0);
        if (aleatoricVariances.dim() == 2) aleatoricVariances = aleatoricVariances.unsqueeze(0);
        if (epistemicVariances.dim() == 2) epistemicVariances = epistemicVariances.unsqueeze(0);
        if (memberMeans.dim() != 3) throw new ArgumentException($"Member means must be [S, N, T]; got [{string.Join(", ", memberMeans.shape)}].", nameof(memberMeans));
        return new Predictive(TaskKind.Regression, memberMeans, aleatoricVariances.expand(memberMeans.shape), epistemicVariances.expand(memberMeans.shape));
    }

    /// <summary>Categorical members given by log-probabilities [S, N, C] or [N, C] (one member).</summary>
    public static Predictive Classification(Tensor memberLogProbabilities)
    {
        ArgumentNullException.ThrowIfNull(memberLogProbabilities);
        using var scope = NewDisposeScope();
        if (memberLogProbabilities.dim() == 2) memberLogProbabilities = memberLogProbabilities.unsqueeze(0);
        if (memberLogProbabilities.dim() != 3) throw new ArgumentException($"Member log-probabilities must be [S, N, C]; got [{string.Join(", ", memberLogProbabilities.shape)}].", nameof(memberLogProbabilities));
        return new Predictive(TaskKind.Classification, memberLogProbabilities, null);
    }

    /// <summary>
    /// Categorical members (e.g. S draws of a latent Gaussian) whose averaged probabilities are replaced
    /// by a closed form (e.g. the probit approximation) [N, C]: <see cref="Probabilities"/>, <see cref="Mean"/>
    /// and <see cref="LogDensity"/> use <paramref name="probabilities"/>, while entropy, expected entropy and
    /// mutual information use the members, so the epistemic part survives.
    /// </summary>
    public static Predictive Classification(Tensor memberLogProbabilities, Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(memberLogProbabilities);
        ArgumentNullException.ThrowIfNull(probabilities);
        using var scope = NewDisposeScope();
        if (memberLogProbabilities.dim() == 2) memberLogProbabilities = memberLogProbabilities.unsqueeze(0);
        if (memberLogProbabilities.dim() != 3) throw new ArgumentException($"Member log-probabilities must be [S, N, C]; got [{string.Join(", ", memberLogProbabilities.shape)}].", nameof(memberLogProbabilities));
        if (!probabilities.shape.SequenceEqual(memberLogProbabilities.shape[1..]))
            throw new ArgumentException($"Probabilities must be [{string.Join(", ", memberLogProbabilities.shape[1..])}]; got [{string.Join(", ", probabilities.shape)}].", nameof(probabilities));
        return new Predictive(TaskKind.Classification, memberLogProbabilities, null, null, probabilities);
    }

    /// <summary>Regression or classification.</summary>
    public TaskKind Task { get; }

    /// <summary>Number of members S in the average.</summary>
    public int MemberCount => (int)_shape[0];

    /// <summary>Number of inputs N.</summary>
    public long Count => _shape[1];

    /// <summary>Targets per input T (regression) or classes C (classification).</summary>
    public int Width => (int)_shape[2];

    /// <summary>Regression: per-member means [S, N, T].</summary>
    public Tensor MemberMeans => RequireRegression().clone();

    /// <summary>Regression: per-member total variances [S, N, T] (aleatoric plus any closed-form epistemic part).</summary>
    public Tensor MemberVariances { get { RequireRegression(); return _c is null ? _b!.clone() : _b! + _c; } }

    /// <summary>Classification: per-member class probabilities [S, N, C].</summary>
    public Tensor MemberProbabilities => RequireClassification().exp();

    /// <summary>Predictive mean [N, T] (regression) or class probabilities [N, C] (classification).</summary>
    public Tensor Mean => Task == TaskKind.Regression ? A.mean(new long[] { 0 }) : Probabilities;

    /// <summary>Regression: aleatoric variance E_s[σ²ₛ], [N, T].</summary>
    public Tensor Aleatoric { get { RequireRegression(); return _b!.mean(new long[] { 0 }); } }

    /// <summary>Regression: epistemic variance Var_s[μₛ] (population variance over members) plus E_s[vₛ] of closed-form members, [N, T].</summary>
    public Tensor Epistemic
    {
        get
        {
            var spread = RequireRegression().var(0, unbiased: false);
            if (_c is null) return spread;
            using var scope = NewDisposeScope();
            return (spread + _c.mean(new long[] { 0 })).MoveToOuterDisposeScope();
        }
    }

    /// <summary>Regression: total predictive variance = aleatoric + epistemic, [N, T].</summary>
    public Tensor Variance
    {
        get
        {
            using var scope = NewDisposeScope();
            return (Aleatoric + Epistemic).MoveToOuterDisposeScope();
        }
    }

    /// <summary>Regression: predictive standard deviation √(aleatoric + epistemic), [N, T].</summary>
    public Tensor StandardDeviation
    {
        get
        {
            using var scope = NewDisposeScope();
            return Variance.sqrt().MoveToOuterDisposeScope();
        }
    }

    /// <summary>Classification: averaged class probabilities (1/S) Σₛ pₛ, or the closed form it was given, [N, C].</summary>
    public Tensor Probabilities
    {
        get
        {
            var members = RequireClassification();
            return _p?.clone() ?? members.exp().mean(new long[] { 0 });
        }
    }

    /// <summary>
    /// Log predictive density of the targets, [N]: log (1/S) Σₛ p(y|x,wₛ), summed over the T
    /// regression targets of an example (members factorise over targets).
    /// Targets: float [N, T] for regression, int64 [N] labels for classification.
    /// </summary>
    public Tensor LogDensity(Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using var scope = NewDisposeScope();
        Tensor perMember; // [S, N]
        if (Task == TaskKind.Regression)
        {
            CheckRegressionTargets(targets);
            var y = targets.to_type(ScalarType.Float64).unsqueeze(0);
            var variance = MemberVariance();
            perMember = (-0.5 * ((y - A).square() / variance + variance.log() + Math.Log(2 * Math.PI))).sum(2);
        }
        else
        {
            CheckLabels(targets);
            if (_p is { } p)
                return p.gather(1, targets.to(p.device).view(-1, 1)).squeeze(1).log().MoveToOuterDisposeScope();
            var index = targets.to(A.device).view(1, -1, 1).expand(A.shape[0], -1, 1);
            perMember = A.gather(2, index).squeeze(2);
        }
        return (perMember.logsumexp(0) - Math.Log(MemberCount)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predictive entropy per input, [N], in nats. Classification: H[(1/S) Σₛ pₛ]. Regression: the
    /// entropy of a Gaussian with the total variance (moment-matched), summed over targets.
    /// </summary>
    public Tensor Entropy()
    {
        using var scope = NewDisposeScope();
        if (Task == TaskKind.Classification)
        {
            var logMean = A.logsumexp(0) - Math.Log(MemberCount);
            return CategoricalEntropy(logMean).MoveToOuterDisposeScope();
        }
        return GaussianEntropy(Variance).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Expected entropy of the members E_s[H(pₛ)], [N]: the aleatoric part of the entropy.
    /// Regression: entropy of a Gaussian with the aleatoric variance.
    /// </summary>
    public Tensor ExpectedEntropy()
    {
        using var scope = NewDisposeScope();
        if (Task == TaskKind.Classification)
            return CategoricalEntropy(A).mean(new long[] { 0 }).MoveToOuterDisposeScope();
        return GaussianEntropy(Aleatoric).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mutual information between the prediction and the weights, [N]: entropy − expected entropy
    /// (the epistemic part; zero for a single member). Regression uses the Gaussian forms, i.e.
    /// ½ Σ_T log(total variance / aleatoric variance).
    /// </summary>
    public Tensor MutualInformation()
    {
        using var scope = NewDisposeScope();
        return (Entropy() - ExpectedEntropy()).clamp_min(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Regression: the predictive in other target units, y' = shift + scale·y per target
    /// (e.g. undoing a standardisation). Returns a new predictive; this one is unchanged.
    /// </summary>
    public Predictive Affine(double[] shift, double[] scale)
    {
        RequireRegression();
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentNullException.ThrowIfNull(scale);
        if (shift.Length != Width || scale.Length != Width)
            throw new ArgumentException($"Need one shift and one scale per target ({Width}); got {shift.Length} and {scale.Length}.");
        using var scope = NewDisposeScope();
        var b = tensor(shift, ScalarType.Float64).to(A.device);
        var s = tensor(scale, ScalarType.Float64).to(A.device);
        return new Predictive(TaskKind.Regression, A * s + b, _b! * s.square(), _c is null ? null : _c * s.square());
    }

    private Tensor MemberVariance() => _c is null ? _b! : _b! + _c;

    private static Tensor CategoricalEntropy(Tensor logProbabilities) =>
        -(logProbabilities.exp() * logProbabilities.clamp_min(-1e300)).sum(-1);

    private static Tensor GaussianEntropy(Tensor variance) =>
        (0.5 * (variance.log() + 1 + Math.Log(2 * Math.PI))).sum(-1);

    private Tensor RequireRegression()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Task != TaskKind.Regression) throw new InvalidOperationException("This quantity is defined for regression predictives only.");
        return A;
    }

    private Tensor RequireClassification()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Task != TaskKind.Classification) throw new InvalidOperationException("This quantity is defined for classification predictives only.");
        return A;
    }

    private void CheckRegressionTargets(Tensor targets)
    {
        RequireRegression();
        if (targets.dim() != 2 || targets.shape[0] != Count || targets.shape[1] != Width)
            throw new ArgumentException($"Regression targets must be [{Count}, {Width}]; got [{string.Join(", ", targets.shape)}].", nameof(targets));
    }

    private void CheckLabels(Tensor targets)
    {
        if (targets.dim() != 1 || targets.shape[0] != Count || targets.dtype != ScalarType.Int64)
            throw new ArgumentException($"Class labels must be int64 [{Count}]; got {targets.dtype} [{string.Join(", ", targets.shape)}].", nameof(targets));
        using var scope = NewDisposeScope();
        if (Count > 0 && (targets.min().item<long>() < 0 || targets.max().item<long>() >= Width))
            throw new ArgumentException($"Class labels must lie in 0..{Width - 1}.", nameof(targets));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _a?.Dispose();
        _draws?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
        _p?.Dispose();
    }
}
