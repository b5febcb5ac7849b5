using Occam.Core;
using Occam.Models;
using static TorchSharp.torch;

namespace Occam.Posteriors.Weights;

/// <summary>
/// MC dropout's belief (Gal &amp; Ghahramani 2016): Bernoulli masks on the network's units, drawn by
/// running its dropout layers at prediction time. S stochastic passes (in one batched pass where the
/// module supports <see cref="IStackedForward"/>); at the mean, one pass with dropout off. The masks
/// come from libtorch's global generator, seeded for the prediction and restored afterwards.
/// </summary>
public sealed class DropoutWeights : IWeightDistribution
{
    /// <summary>The stored kind.</summary>
    public const string KindName = "dropout";

    /// <summary>Creates the distribution with <paramref name="defaultSamples"/> passes per prediction.</summary>
    public DropoutWeights(int defaultSamples = 100)
    {
        if (defaultSamples < 1) throw new ArgumentOutOfRangeException(nameof(defaultSamples), $"Samples must be at least 1; got {defaultSamples}.");
        DefaultSamples = defaultSamples;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public int DefaultSamples { get; }

    /// <inheritdoc />
    public bool HasMean => true;

    /// <inheritdoc />
    public Tensor? CentreWeights(WeightSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Get(); // dropout off: the network's own weights
    }

    /// <inheritdoc />
    public WeightDraws Draw(WeightSpace space, DrawRequest request)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(request);
        return request.AtMean ? new MeanPass(space) : new Passes(space, request.Samples ?? DefaultSamples, request.Seed);
    }

    /// <inheritdoc />
    public StoredDistribution Store() => new(KindName, new Dictionary<string, Tensor>(), new Dictionary<string, double> { ["samples"] = DefaultSamples });

    /// <summary>Restores the stored form.</summary>
    public static DropoutWeights Load(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> settings) => new((int)settings["samples"]);

    /// <inheritdoc />
    public void Dispose() { }

    private sealed class MeanPass(WeightSpace space) : WeightDraws
    {
        public override Tensor Outputs(Tensor chunk) => space.Forward(chunk).unsqueeze(0);
    }

    private sealed class Passes : WeightDraws
    {
        private readonly WeightSpace _space;
        private readonly int _passes;
        private readonly RandomSeed _seed;
        private readonly DropoutSwitch _switch;

        public Passes(WeightSpace space, int passes, long seed)
        {
            _space = space;
            _passes = passes;
            _seed = new RandomSeed(seed);
            _switch = new DropoutSwitch(space.Module);
        }

        public override Tensor Outputs(Tensor chunk)
        {
            if (_space.Module is IStackedForward { SupportsStackedForward: true } stacked) return stacked.ForwardRepeated(chunk, _passes);
            return stack(Enumerable.Range(0, _passes).Select(_ => _space.Forward(chunk)).ToArray());
        }

        public override void Dispose()
        {
            _switch.Dispose();
            _seed.Dispose();
            base.Dispose();
        }
    }
}
