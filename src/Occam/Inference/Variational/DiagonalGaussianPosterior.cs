using Occam.Data;
using Occam.Likelihoods;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>How a diagonal Gaussian posterior predicts.</summary>
public enum GaussianPrediction
{
    /// <summary>Bayesian model average over S weight samples θ ~ N(m, diag σ²), each run through the network.</summary>
    ModelAverage,

    /// <summary>One forward pass at the mean m ("IVON@mean"); the predictive then has no epistemic part.</summary>
    Mean,
}

/// <summary>
/// A factorised Gaussian q(θ) = N(m, diag σ²) over the weights of one network, the posterior of
/// IVON and of mean-field variational inference (Bayes by Backprop). The network holds the mean m;
/// the standard deviations σ are kept in the same flat layout (<see cref="FlatParameters"/>).
/// It predicts by the Bayesian model average over S weight samples (default 64), or at the mean.
/// </summary>
public sealed class DiagonalGaussianPosterior : IPosterior
{
    private readonly NetworkMember _member;
    private readonly Tensor _sd;
    private bool _disposed;

    /// <summary>Assembles the posterior; it takes ownership of the network, the likelihood and <paramref name="sd"/>.</summary>
    /// <param name="method">Method name for reports ("ivon", "vi", ...).</param>
    /// <param name="task">Regression or classification.</param>
    /// <param name="network">The network, holding the posterior mean m (a single member).</param>
    /// <param name="likelihood">Its likelihood (sized for one member).</param>
    /// <param name="sd">Standard deviations σ [P], positive, in <see cref="FlatParameters"/> order.</param>
    /// <param name="standardiser">Training-split standardisation.</param>
    /// <param name="description">Architecture (to rebuild the network on load).</param>
    /// <param name="samples">Weight samples S of the model average (default 64, as in Shen et al. 2024).</param>
    /// <param name="prediction">Model average (default) or prediction at the mean.</param>
    /// <param name="seed">Default seed of the weight samples.</param>
    public DiagonalGaussianPosterior(string method, TaskKind task, nn.Module<Tensor, Tensor> network, Likelihood likelihood, Tensor sd,
        Standardiser standardiser, NetworkDescription description, int samples = 64, GaussianPrediction prediction = GaussianPrediction.ModelAverage,
        long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(sd);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be at least 1; got {samples}.");
        if (network is Mlp { Members: > 1 }) throw new ArgumentException("A diagonal Gaussian posterior covers one network, not stacked members.", nameof(network));
        long count = FlatParameters.Count(network);
        if (sd.dim() != 1 || sd.shape[0] != count)
            throw new ArgumentException($"Expected {count} standard deviations; got shape [{string.Join(", ", sd.shape)}].", nameof(sd));
        Method = method;
        Task = task;
        _member = new NetworkMember(network, likelihood, false);
        _sd = sd;
        Standardiser = standardiser ?? throw new ArgumentNullException(nameof(standardiser));
        Description = description ?? throw new ArgumentNullException(nameof(description));
        Samples = samples;
        Prediction = prediction;
        Seed = seed;
        network.eval();
    }

    /// <inheritdoc />
    public string Method { get; }

    /// <inheritdoc />
    public TaskKind Task { get; }

    /// <summary>The network at the posterior mean m.</summary>
    public nn.Module<Tensor, Tensor> Network => _member.Network;

    /// <summary>The likelihood (e.g. with the learned noise).</summary>
    public Likelihood Likelihood => _member.Likelihood;

    /// <summary>Training-split standardisation.</summary>
    public Standardiser Standardiser { get; }

    /// <summary>How to rebuild the network.</summary>
    public NetworkDescription Description { get; }

    /// <summary>Default number of weight samples S of the model average.</summary>
    public int Samples { get; }

    /// <summary>Model average or prediction at the mean.</summary>
    public GaussianPrediction Prediction { get; }

    /// <summary>Default seed of the weight samples.</summary>
    public long Seed { get; }

    /// <summary>A copy of the posterior mean m [P].</summary>
    public Tensor Mean() => FlatParameters.Get(_member.Network);

    /// <summary>A copy of the posterior standard deviations σ [P].</summary>
    public Tensor StandardDeviation() => _sd.clone();

    /// <summary>The same posterior predicting another way (e.g. at the mean); it shares nothing and must be disposed too.</summary>
    public DiagonalGaussianPosterior With(GaussianPrediction prediction, string? method = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var network = Description.Spec.Create(Description.InputShape, Description.Outputs, 1, 0);
        try
        {
            network.to(_sd.device);
            FlatParameters.Set(network, Mean());
            return new DiagonalGaussianPosterior(method ?? Method, Task, network, _member.Likelihood.ForMembers(1, _sd.device), _sd.clone(),
                Standardiser, Description, Samples, prediction, Seed);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Predictive Predict(Tensor x, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new PredictOptions();
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "Prediction batch size must be at least 1.");
        int samples = options.Samples ?? Samples;
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(options), "Samples must be at least 1.");
        Description.CheckInputs(x);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = Standardiser.TransformInputs(x.to(_sd.device));
        var thetas = Prediction == GaussianPrediction.Mean ? null : Draw(samples, options.Seed ?? Seed);
        var chunks = new List<Predictive>();
        try
        {
            for (long start = 0; start < inputs.shape[0]; start += options.BatchSize)
            {
                using var inner = NewDisposeScope();
                var chunk = inputs.narrow(0, start, Math.Min(options.BatchSize, inputs.shape[0] - start));
                chunks.Add(_member.Likelihood.Predict(thetas is null ? _member.Network.forward(chunk).unsqueeze(0) : Forward(thetas, chunk)));
            }
            using var joined = Predictive.Join(chunks);
            return Standardiser.HasTargets ? joined.Affine(Standardiser.TargetMean, Standardiser.TargetSd) : joined.Slice(0, joined.Count);
        }
        finally
        {
            foreach (var c in chunks) c.Dispose();
        }
    }

    /// <summary>S weight vectors θ_s = m + σ ⊙ ε_s, ε_s ~ N(0, I), from a generator seeded with <paramref name="seed"/>: [S, P].</summary>
    public Tensor Draw(int samples, long seed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"Samples must be at least 1; got {samples}.");
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed, _sd.device);
        var noise = randn(new long[] { samples, _sd.shape[0] }, dtype: _sd.dtype, device: _sd.device, generator: generator);
        return noise.mul_(_sd).add_(Mean()).MoveToOuterDisposeScope();
    }

    private Tensor Forward(Tensor thetas, Tensor x)
    {
        if (_member.Network is Mlp mlp) return mlp.ForwardAt(thetas, x); // all samples in one batched pass
        var outputs = new Tensor[thetas.shape[0]];
        for (int s = 0; s < outputs.Length; s++)
        {
            using var swap = new WeightSwap(_member.Network, thetas[s]);
            outputs[s] = _member.Network.forward(x);
        }
        return stack(outputs);
    }


    /// <inheritdoc />
    public void Save(string directory) => DiagonalGaussianStore.Save(this, directory);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _member.Network.Dispose();
        _member.Likelihood.Dispose();
        _sd.Dispose();
    }
}
