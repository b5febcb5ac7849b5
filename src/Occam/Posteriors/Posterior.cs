using Occam.Data;
using Occam.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Posteriors;

/// <summary>
/// The shared frame of Occam's posteriors: method name, the model frame (task, input shape,
/// standardisation), the default seed, and the one prediction path (<see cref="PredictionPipeline"/>).
/// Two bases derive from it: <see cref="WeightPosterior"/> (run the network at S weight vectors) and
/// <see cref="LatentGaussianPosterior"/> (a Gaussian over the outputs, turned into a predictive by the
/// likelihood).
/// </summary>
public abstract class Posterior : IPosterior
{
    private bool _disposed;

    /// <summary>Sets the name, frame and default seed.</summary>
    protected Posterior(string method, ModelFrame frame, long seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        Method = method;
        Frame = frame ?? throw new ArgumentNullException(nameof(frame));
        Seed = seed;
    }

    /// <inheritdoc />
    public string Method { get; }

    /// <inheritdoc />
    public TaskKind Task => Frame.Task;

    /// <summary>Task, input shape, outputs and standardisation of the fitted model.</summary>
    public ModelFrame Frame { get; }

    /// <summary>Training-split standardisation (shorthand for <c>Frame.Standardiser</c>).</summary>
    public Standardiser Standardiser => Frame.Standardiser;

    /// <summary>Default seed of sampling at prediction time.</summary>
    public long Seed { get; }

    /// <summary>The device predictions run on.</summary>
    public abstract Device Device { get; }

    /// <inheritdoc />
    public Predictive Predict(Tensor x, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ObjectDisposedException.ThrowIf(_disposed, this);
        options = (options ?? new PredictOptions()).Validate();
        Frame.CheckInputs(x);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator((ulong)(options.Seed ?? Seed), Device);
        using var predictor = BeginPrediction(options, options.Seed ?? Seed, generator);
        int batch = Math.Min(options.BatchSize, predictor.PreferredBatch ?? int.MaxValue);
        return PredictionPipeline.Run(x, Standardiser, batch, Device, predictor.Predict);
    }

    /// <summary>The predictive for inputs already standardised, in standardised target units (e.g. for tuning on a validation split).</summary>
    protected Predictive PredictWithoutStandardisation(Tensor standardisedInputs, PredictOptions options)
    {
        ArgumentNullException.ThrowIfNull(standardisedInputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator((ulong)(options.Seed ?? Seed), Device);
        using var predictor = BeginPrediction(options, options.Seed ?? Seed, generator);
        int batch = Math.Min(options.BatchSize, predictor.PreferredBatch ?? int.MaxValue);
        return PredictionPipeline.Run(standardisedInputs, Standardiser.Identity, batch, Device, predictor.Predict);
    }

    /// <summary>
    /// Prepares one prediction: draws what every chunk must share (weight samples) and returns the chunk
    /// function. <paramref name="generator"/> is seeded with <paramref name="seed"/> for the draws.
    /// </summary>
    protected abstract ChunkPredictor BeginPrediction(PredictOptions options, long seed, Generator generator);

    /// <inheritdoc />
    public abstract void Save(string directory);

    /// <summary>Throws when the posterior has been disposed.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Releases the posterior's tensors and modules (called once).</summary>
    protected abstract void DisposeCore();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }
}
