using System.Diagnostics;
using System.Globalization;
using Occam.Core;
using Occam.Core.Options;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Posteriors;
using Occam.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>
/// Pool-based active learning with any <see cref="IPosteriorMethod"/>: fit on the labelled set, score the
/// test set, let the acquisition function choose b pool points, label them (the pool's own targets play the
/// oracle), and repeat until the label budget is spent. The acquisition reads only the posterior's
/// <see cref="Predictive"/>. With a state folder every round is saved, so an interrupted run resumes where it
/// stopped and ends with the same results as an uninterrupted one.
/// </summary>
public sealed class ActiveLearner
{
    /// <summary>Creates the loop.</summary>
    public ActiveLearner(IPosteriorMethod method, Acquisition acquisition, ActiveLearningOptions? options = null)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        Acquisition = acquisition ?? throw new ArgumentNullException(nameof(acquisition));
        Options = (options ?? new ActiveLearningOptions()).Validate();
    }

    /// <summary>The method fitted every round.</summary>
    public IPosteriorMethod Method { get; }

    /// <summary>The acquisition function.</summary>
    public Acquisition Acquisition { get; }

    /// <summary>The loop's settings.</summary>
    public ActiveLearningOptions Options { get; }

    /// <summary>
    /// Everything that can be checked before any training: the options against the data, the acquisition
    /// against the task, and an acquisition that needs an epistemic part against a method whose predictive has none.
    /// </summary>
    /// <exception cref="ArgumentException">The first problem; ParamName names the option ("Initial", "Budget", "acquisition", ...).</exception>
    public void Check(Dataset pool, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(test);
        if (pool.Task != test.Task) throw new ArgumentException($"The pool is {Lower(pool.Task)} data but the test set is {Lower(test.Task)}.", nameof(test));
        if (!pool.InputShape.SequenceEqual(test.InputShape))
            throw new ArgumentException($"Pool inputs are [{string.Join(", ", pool.InputShape)}] but test inputs are [{string.Join(", ", test.InputShape)}].", nameof(test));
        if (pool.Task == TaskKind.Classification && pool.ClassCount != test.ClassCount)
            throw new ArgumentException($"The pool has {pool.ClassCount} classes but the test set {test.ClassCount}.", nameof(test));
        if (!Acquisition.Supports(pool.Task))
            throw new ArgumentException($"{Acquisition.Name} does not score {Lower(pool.Task)} data.", "acquisition");
        if (Acquisition.RequiresEpistemic && !Method.HasEpistemicPart)
            throw new ArgumentException($"{Acquisition.Name} needs a predictive with an epistemic part, but {Method.Name} predicts with a single weight vector (its mutual information is zero everywhere); use a method that averages members, such as ensemble, mc-dropout or laplace, or an acquisition without that need (entropy, random)", "acquisition");
        if (Options.Initial > pool.Count) throw new ArgumentException($"The initial labelled set ({Options.Initial}) is larger than the pool ({pool.Count} points).", nameof(Options.Initial));
        if (Options.Budget > pool.Count) throw new ArgumentException($"The label budget ({Options.Budget}) is larger than the pool ({pool.Count} points).", nameof(Options.Budget));
        if (Options.ClassBalanced && pool.Task != TaskKind.Classification) throw new ArgumentException("A class-balanced initial set needs classification data.", nameof(Options.ClassBalanced));
        if (Options.ClassBalanced && Options.Initial < pool.ClassCount)
            throw new ArgumentException($"A class-balanced initial set needs at least one label per class: {Options.Initial} labels for {pool.ClassCount} classes.", nameof(Options.Initial));
    }

    /// <summary>Runs (or resumes) the loop on <paramref name="pool"/> (inputs and the oracle's labels) and scores every round on <paramref name="test"/>. Neither is disposed.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; with a state folder, the last finished round is saved.</exception>
    public ActiveLearningRun Run(Dataset pool, Dataset test, ActiveRunContext? context = null)
    {
        Check(pool, test);
        context ??= new ActiveRunContext();
        var clock = Stopwatch.StartNew();
        var store = context.StateDirectory is null ? null : new ActiveStateStore(context.StateDirectory);
        var settings = Settings(pool, test, context.Seed);
        using var warm = Options.WarmStart ? new WarmStart() : null;
        var state = store?.Load(settings, warm) ?? Fresh(pool, settings, context.Seed);
        var labelled = new List<long>(state.Labelled);
        var rounds = new List<RoundResult>(state.Rounds);
        for (int round = state.NextRound; !state.Finished; round++)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var result = RunRound(pool, test, labelled, round, warm, context);
            rounds.Add(result);
            labelled.AddRange(result.Acquired);
            bool finished = result.Acquired.Length == 0;
            state = state with { NextRound = round + 1, Labelled = labelled.ToArray(), Rounds = rounds.ToList(), Finished = finished };
            if (store is not null) state = store.Save(state, warm);
            context.Progress?.Report(result);
        }
        return new ActiveLearningRun(Method.Name, Acquisition.Name, context.Seed, rounds, labelled.ToArray(), clock.Elapsed.TotalSeconds);
    }

    private RoundResult RunRound(Dataset pool, Dataset test, List<long> labelled, int round, WarmStart? warm, ActiveRunContext context)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        using var train = pool.Subset(labelled.ToArray(), $"{pool.Name} (labelled)");
        warm?.StartFit();
        var fitContext = new FitContext(RoundSeeds.For(context.Seed, round, RoundSeeds.Fit), context.Device, context.FitProgress, context.Cancellation) { WarmStart = warm };
        using var posterior = MethodFor(labelled.Count).Fit(train, fitContext);
        if (warm is not null && warm.RememberedThisFit == 0)
            throw new NotSupportedException($"{Method.Name} does not train through Occam's MAP or IVON training, so it cannot warm-start; retrain from scratch instead.");
        double fitSeconds = clock.Elapsed.TotalSeconds;
        long predictSeed = RoundSeeds.For(context.Seed, round, RoundSeeds.Predict);
        var (accuracy, nll, rmse, ll) = Score(posterior, test, new PredictOptions(Options.TestSamples, Seed: predictSeed));
        int remaining = Math.Min(Options.Acquire, Options.Budget - labelled.Count);
        clock.Restart();
        var acquired = remaining > 0 ? Choose(pool, labelled, posterior, remaining, round, context.Seed, predictSeed) : [];
        return new RoundResult(round, labelled.Count, accuracy, nll, rmse, ll, fitSeconds, clock.Elapsed.TotalSeconds, acquired);
    }

    /// <summary>The method, with its epochs set so a round on <paramref name="labels"/> points takes about <see cref="ActiveLearningOptions.TrainingSteps"/> steps.</summary>
    private IPosteriorMethod MethodFor(int labels)
    {
        if (Options.TrainingSteps is not { } steps) return Method;
        var training = Method.Setup.Training;
        int batches = training.Run("active learning").BatchesPerEpoch(labels);
        int epochs = (int)Math.Max(1, (steps + (long)batches - 1) / batches);
        return Method.With(Method.Setup with { Training = training with { Epochs = epochs } });
    }

    private long[] Choose(Dataset pool, List<long> labelled, IPosterior posterior, int count, int round, long seed, long predictSeed)
    {
        var isLabelled = new bool[pool.Count];
        foreach (var i in labelled) isLabelled[i] = true;
        var unlabelled = Enumerable.Range(0, (int)pool.Count).Where(i => !isLabelled[i]).Select(i => (long)i).ToArray();
        if (unlabelled.Length == 0) return [];
        using var subsetRandom = new Generator((ulong)RoundSeeds.For(seed, round, RoundSeeds.Subset));
        var candidates = unlabelled;
        if (Options.PoolSubset is { } size && size < unlabelled.Length)
        {
            var pick = randperm(unlabelled.Length, generator: subsetRandom).narrow(0, 0, size).data<long>().ToArray();
            candidates = pick.Select(p => unlabelled[p]).ToArray();
        }
        using var random = new Generator((ulong)RoundSeeds.For(seed, round, RoundSeeds.Acquire));
        using var index = tensor(candidates).to(pool.Inputs.device);
        using var inputs = pool.Inputs.index_select(0, index);
        var request = new SelectionRequest(posterior, inputs, count, new PredictOptions(Options.Samples, Seed: predictSeed), Options.ScoreBatchSize, random);
        var selection = Acquisition.Select(request);
        return selection.Positions.Select(p => candidates[p]).ToArray();
    }

    private static (double Accuracy, double Nll, double Rmse, double LogLikelihood) Score(IPosterior posterior, Dataset test, PredictOptions options)
    {
        using var predictive = posterior.Predict(test.Inputs, options);
        if (test.Task == TaskKind.Classification)
        {
            var c = ClassificationMetrics.Compute(predictive, test.Targets);
            return (c.Accuracy, c.Nll, double.NaN, double.NaN);
        }
        var r = RegressionMetrics.Compute(predictive, test.Targets);
        return (double.NaN, double.NaN, r.Rmse, r.TestLogLikelihood);
    }

    private ActiveRunState Fresh(Dataset pool, IReadOnlyDictionary<string, string> settings, long seed)
    {
        using var random = new Generator((ulong)RoundSeeds.For(seed, 0, RoundSeeds.Initial));
        var initial = InitialSet.Choose(pool, Options.Initial, Options.ClassBalanced, random);
        return new ActiveRunState(ActiveRunState.FormatName, ActiveRunState.CurrentVersion, settings, 0, initial, [], false, null);
    }

    /// <summary>Everything the results depend on, as text: a resumed run must match it.</summary>
    private Dictionary<string, string> Settings(Dataset pool, Dataset test, long seed)
    {
        string F(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "default";
        var setup = Method.Setup;
        var options = Method.Options is IMethodOptions o ? OptionBinder.Summary(o) : Method.Options?.ToString() ?? "";
        return new Dictionary<string, string>
        {
            ["method"] = Method.Name,
            ["method options"] = options,
            ["network"] = setup.Network.Describe(),
            ["training"] = setup.Training.ToString(),
            ["prior"] = setup.Prior is GaussianPrior g ? $"gaussian {F(g.Precision)}" : setup.Prior.Name,
            ["likelihood"] = setup.Likelihood?.Name ?? "default",
            ["standardise"] = setup.Standardise.ToString(),
            ["acquisition"] = Acquisition.Name,
            ["initial"] = $"{Options.Initial}{(Options.ClassBalanced ? " class-balanced" : "")}",
            ["acquired per round"] = Options.Acquire.ToString(CultureInfo.InvariantCulture),
            ["budget"] = Options.Budget.ToString(CultureInfo.InvariantCulture),
            ["pool subset"] = F(Options.PoolSubset),
            ["warm start"] = Options.WarmStart.ToString(),
            ["training steps"] = F(Options.TrainingSteps),
            ["samples"] = F(Options.Samples),
            ["test samples"] = F(Options.TestSamples),
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["pool"] = $"{pool.Name} ({pool.Count} points, {ModelSchema.Fingerprint(pool)[..16]})",
            ["test set"] = $"{test.Name} ({test.Count} points, {ModelSchema.Fingerprint(test)[..16]})",
        };
    }

    private static string Lower(TaskKind task) => task.ToString().ToLowerInvariant();
}
