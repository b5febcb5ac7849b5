using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;

namespace Occam.Tests.Active;

/// <summary>Tiny data and models for the loop's tests.</summary>
internal static class ActiveTestData
{
    public static ModelSetup Setup(int epochs = 3) => new()
    {
        Network = new MlpSpec([16]),
        Training = new TrainerOptions { Epochs = epochs, BatchSize = 16, LearningRate = 1e-2 },
    };

    /// <summary>Two moons: a pool of <paramref name="pool"/> points and a test set of 100.</summary>
    public static (Dataset Pool, Dataset Test) Moons(int pool = 200, long seed = 0)
    {
        using var all = SyntheticData.TwoMoons(pool + 100, seed: seed);
        var order = Enumerable.Range(0, pool + 100).Select(i => (long)i).OrderBy(i => (i * 7919) % (pool + 101)).ToArray(); // the moons come class by class: interleave them
        var first = order.Take(pool).ToArray();
        var rest = order.Skip(pool).ToArray();
        return (all.Subset(first, "moons pool"), all.Subset(rest, "moons test"));
    }
}

/// <summary>A method that counts its fits and its posteriors' predictions, around a real one.</summary>
internal sealed class CountingMethod(IPosteriorMethod inner, bool? epistemic = null) : IPosteriorMethod
{
    public int Fits { get; private set; }

    public int Predictions { get; set; }

    public string Name => inner.Name;

    public ModelSetup Setup => inner.Setup;

    public object? Options => inner.Options;

    public bool HasEpistemicPart => epistemic ?? inner.HasEpistemicPart;

    public IPosteriorMethod With(ModelSetup setup) => new Forwarding(this, inner.With(setup));

    public IPosterior Fit(Dataset train, FitContext? context = null)
    {
        Fits++;
        return new CountingPosterior(this, inner.Fit(train, context));
    }

    /// <summary>The same counters for the method with another setup (the loop sets the epochs this way).</summary>
    private sealed class Forwarding(CountingMethod owner, IPosteriorMethod inner) : IPosteriorMethod
    {
        public string Name => inner.Name;
        public ModelSetup Setup => inner.Setup;
        public object? Options => inner.Options;
        public bool HasEpistemicPart => owner.HasEpistemicPart;
        public IPosteriorMethod With(ModelSetup setup) => new Forwarding(owner, inner.With(setup));
        public IPosterior Fit(Dataset train, FitContext? context = null)
        {
            owner.Fits++;
            return new CountingPosterior(owner, inner.Fit(train, context));
        }
    }

    private sealed class CountingPosterior(CountingMethod owner, IPosterior inner) : IPosterior
    {
        public string Method => inner.Method;
        public TaskKind Task => inner.Task;
        public Predictive Predict(Tensor x, PredictOptions? options = null)
        {
            owner.Predictions++;
            return inner.Predict(x, options);
        }
        public void Save(string directory) => inner.Save(directory);
        public void Dispose() => inner.Dispose();
    }
}
