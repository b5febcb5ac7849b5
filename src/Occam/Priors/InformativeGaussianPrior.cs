using System.Globalization;
using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Priors;

/// <summary>An informative Gaussian N(<paramref name="Mean"/>, <paramref name="Variance"/>) on every entry of one named weight block (see <see cref="MlpLayout"/>).</summary>
/// <param name="Block">The block's name, e.g. "output-bias" or "b2".</param>
/// <param name="Mean">Prior mean of each entry (finite).</param>
/// <param name="Variance">Prior variance of each entry (positive, finite).</param>
public sealed record GaussianOverride(string Block, double Mean, double Variance)
{
    /// <summary>Checks the values; returns the override.</summary>
    /// <exception cref="ArgumentException">An empty name, a non-finite mean or a variance that is not positive and finite.</exception>
    public GaussianOverride Validate()
    {
        if (string.IsNullOrWhiteSpace(Block)) throw new ArgumentException("A prior override needs a block name.", nameof(Block));
        if (!double.IsFinite(Mean)) throw new ArgumentException($"The prior mean of {Block} must be finite; got {Mean}.", nameof(Mean));
        if (!(Variance > 0) || !double.IsFinite(Variance)) throw new ArgumentException($"The prior variance of {Block} must be positive and finite; got {Variance}.", nameof(Variance));
        return this;
    }
}

/// <summary>
/// Independent Gaussians on every weight: N(0, λ⁻¹) as <see cref="GaussianPrior"/>, except the entries of the
/// named blocks listed in the overrides, which get their own mean and variance (an informative prior, e.g.
/// on the output bias when the target's level is known). The blocks are found through an
/// <see cref="MlpLayout"/>, so overrides address Occam's MLP. λ = 0 leaves the other weights flat
/// (contributing 0 to the log density).
/// <para>
/// The gradient for optimisers and samplers is the closed form λᵢ(θᵢ − mᵢ); K stacked members are handled row
/// by row. Methods whose algebra needs a single precision (Laplace, variational inference) refuse this prior.
/// </para>
/// </summary>
public sealed class InformativeGaussianPrior : IPrior
{
    private readonly object _gate = new();
    private (long Count, Tensor Mean, Tensor Precision, Tensor LogNormaliser)? _moments;

    /// <summary>Creates the prior.</summary>
    /// <param name="precision">λ ≥ 0 of the weights without an override.</param>
    /// <param name="layout">The network's layout (needed when there are overrides).</param>
    /// <param name="overrides">Per-block means and variances (a block at most once).</param>
    /// <exception cref="ArgumentException">A bad precision or override, a block named twice, or overrides without a layout.</exception>
    public InformativeGaussianPrior(double precision = 1.0, MlpLayout? layout = null, IReadOnlyList<GaussianOverride>? overrides = null)
    {
        if (!(precision >= 0) || !double.IsFinite(precision))
            throw new ArgumentException($"Prior precision must be finite and non-negative; got {precision}.", nameof(precision));
        Precision = precision;
        Layout = layout;
        Overrides = [.. (overrides ?? []).Select(o => (o ?? throw new ArgumentNullException(nameof(overrides))).Validate())];
        if (Overrides.Count > 0 && layout is null) throw new ArgumentException("Prior overrides name weight blocks, which needs the network's layout.", nameof(layout));
        var twice = Overrides.GroupBy(o => o.Block, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"The prior of block {twice.Key} is overridden twice.", nameof(overrides));
    }

    /// <summary>λ of the weights without an override.</summary>
    public double Precision { get; }

    /// <summary>The layout that resolves block names (null without overrides).</summary>
    public MlpLayout? Layout { get; }

    /// <summary>The per-block overrides.</summary>
    public IReadOnlyList<GaussianOverride> Overrides { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"gaussian(precision={Precision:G4}{string.Concat(Overrides.Select(o => $", {o.Block}~N({o.Mean:G4}, {o.Variance:G4})"))})");

    /// <summary>The blocks an override covers, for a weight vector of <paramref name="parameters"/> entries.</summary>
    public IReadOnlyList<WeightBlock> OverriddenBlocks(long parameters) =>
        Layout is null ? [] : [.. Overrides.Select(o => Layout.Resolve(parameters).Block(o.Block))];

    /// <summary>log p(θ) for θ [P] (any float dtype), a float64 scalar carrying gradients to θ; the caller owns it.</summary>
    public Tensor LogDensity(Tensor theta) => LogDensity(theta, 0);

    /// <summary>Σ over entries i ≥ <paramref name="start"/> of log N(θᵢ; mᵢ, λᵢ⁻¹) (entries with λᵢ = 0 contribute 0), a float64 scalar.</summary>
    internal Tensor LogDensity(Tensor theta, long start)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.dim() != 1) throw new ArgumentException($"Expected a weight vector [P]; got [{string.Join(", ", theta.shape)}].", nameof(theta));
        using var scope = NewDisposeScope();
        long count = theta.shape[0] - start;
        var x = theta.narrow(0, start, count).to_type(ScalarType.Float64);
        if (Overrides.Count == 0)
        {
            if (Precision == 0) return zeros(1, ScalarType.Float64, theta.device).squeeze().MoveToOuterDisposeScope();
            return (-0.5 * Precision * x.square().sum() + 0.5 * count * Math.Log(Precision / (2 * Math.PI))).MoveToOuterDisposeScope();
        }
        var (mean, precision, logNormaliser) = Moments(theta.shape[0], start, count, theta.device);
        return ((-0.5 * precision * (x - mean).square()).sum() + logNormaliser.sum()).MoveToOuterDisposeScope();
    }

    /// <summary>−∇log p for weight rows [K, P] at entries ≥ <paramref name="start"/>: λᵢ(θᵢ − mᵢ), float64 [K, P − start].</summary>
    internal Tensor NegativeGradient(Tensor rows, long start)
    {
        using var scope = NewDisposeScope();
        long count = rows.shape[1] - start;
        var x = rows.narrow(1, start, count).to_type(ScalarType.Float64);
        if (Overrides.Count == 0) return (x * Precision).MoveToOuterDisposeScope();
        var (mean, precision, _) = Moments(rows.shape[1], start, count, rows.device);
        return ((x - mean) * precision).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void AddNegativeLogDensityGradient(WeightSpace space, double scale) => MemberGradient.Add(space, scale, rows => NegativeGradient(rows, 0));

    /// <summary>Draws [count, size] float32 weights from the prior (every λᵢ must be positive); the caller owns them.</summary>
    /// <exception cref="InvalidOperationException">Some weights are under the flat prior (λ = 0).</exception>
    public Tensor Sample(int count, long size, Generator? generator = null)
    {
        if (count < 1 || size < 1) throw new ArgumentOutOfRangeException(nameof(count), "Need at least one draw of at least one weight.");
        using var scope = NewDisposeScope();
        var noise = randn(new long[] { count, size }, ScalarType.Float64, generator: generator);
        if (Overrides.Count == 0)
        {
            if (!(Precision > 0)) throw new InvalidOperationException("Cannot sample from a flat prior (precision 0).");
            return (noise / Math.Sqrt(Precision)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }
        var (mean, precision, _) = Moments(size, 0, size, CPU);
        if (precision.min().item<double>() <= 0) throw new InvalidOperationException("Cannot sample weights under a flat prior (precision 0).");
        return (mean + noise / precision.sqrt()).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Means, precisions and per-entry log normalisers (float64) of entries [start, start + count) of a vector of <paramref name="parameters"/>.</summary>
    private (Tensor Mean, Tensor Precision, Tensor LogNormaliser) Moments(long parameters, long start, long count, Device device)
    {
        (long Count, Tensor Mean, Tensor Precision, Tensor LogNormaliser) m;
        lock (_gate)
        {
            if (_moments is not { } cached || cached.Count != parameters)
            {
                var mean = new double[parameters];
                var precision = Enumerable.Repeat(Precision, (int)parameters).ToArray();
                var covered = new bool[parameters];
                foreach (var o in Overrides)
                {
                    var block = Layout!.Resolve(parameters).Block(o.Block);
                    if (covered.AsSpan((int)block.Offset, (int)block.Length).Contains(true))
                        throw new ArgumentException($"The prior override of {o.Block} covers weights another override sets (an alias such as output-bias names the last layer's block).", nameof(Overrides));
                    covered.AsSpan((int)block.Offset, (int)block.Length).Fill(true);
                    for (long i = block.Offset; i < block.End; i++) { mean[i] = o.Mean; precision[i] = 1 / o.Variance; }
                }
                var logNormaliser = precision.Select(l => l > 0 ? 0.5 * Math.Log(l / (2 * Math.PI)) : 0).ToArray();
                if (_moments is { } old) { old.Mean.Dispose(); old.Precision.Dispose(); old.LogNormaliser.Dispose(); }
                _moments = (parameters, tensor(mean).DetachFromDisposeScope(), tensor(precision).DetachFromDisposeScope(), tensor(logNormaliser).DetachFromDisposeScope());
            }
            m = _moments.Value;
        }
        return (m.Mean.narrow(0, start, count).to(device), m.Precision.narrow(0, start, count).to(device), m.LogNormaliser.narrow(0, start, count).to(device));
    }
}
