using Occam.Data;
using Occam.Inference;

namespace Occam.Active;

/// <summary>
/// One method, several acquisition functions and several seeds: every (acquisition, seed) pair is one
/// <see cref="ActiveLearner"/> run, run seed-major (so early results compare all acquisitions) and, with a
/// state root, saved after every round under <c>ROOT/ACQUISITION/seed-SEED</c> so the whole experiment
/// resumes where it was interrupted.
/// </summary>
public sealed class ActiveLearningExperiment
{
    /// <summary>Creates the experiment; <paramref name="stateRoot"/> null runs without saving state.</summary>
    /// <exception cref="ArgumentException">No acquisition, no seed, or a repeated seed.</exception>
    public ActiveLearningExperiment(IPosteriorMethod method, IReadOnlyList<Acquisition> acquisitions, ActiveLearningOptions options, IReadOnlyList<long> seeds, string? stateRoot = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(acquisitions);
        ArgumentNullException.ThrowIfNull(seeds);
        if (acquisitions.Count == 0) throw new ArgumentException("name at least one acquisition function", "acquisition");
        if (seeds.Count == 0) throw new ArgumentException("run at least one seed", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException("a seed is listed more than once", nameof(seeds));
        Learners = acquisitions.Select(a => new ActiveLearner(method, a, options)).ToList();
        Seeds = seeds.ToArray();
        StateRoot = stateRoot;
    }

    /// <summary>One loop per acquisition function, in the order given.</summary>
    public IReadOnlyList<ActiveLearner> Learners { get; }

    /// <summary>The seeds, in the order they run.</summary>
    public IReadOnlyList<long> Seeds { get; }

    /// <summary>The folder holding every run's state, or null.</summary>
    public string? StateRoot { get; }

    /// <summary>The state folder of one run under <paramref name="root"/>.</summary>
    public static string StateDirectory(string root, string acquisition, long seed) =>
        Path.Combine(root, acquisition, $"seed-{seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>Checks every loop against the data before any training (<see cref="ActiveLearner.Check"/>).</summary>
    /// <exception cref="ArgumentException">The first problem; ParamName names the option.</exception>
    public void Check(Dataset pool, Dataset test)
    {
        foreach (var learner in Learners) learner.Check(pool, test);
    }

    /// <summary>
    /// Runs (or resumes) every run, seed-major. <paramref name="context"/> gives the device, the fit progress and the
    /// cancellation; its seed and state folder are set per run. <paramref name="round"/> sees each finished round and
    /// <paramref name="finished"/> each finished run. Returns the runs ordered by acquisition, then seed.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the state of every finished round stays saved.</exception>
    public IReadOnlyList<ActiveLearningRun> Run(Dataset pool, Dataset test, ActiveRunContext? context = null,
        Action<ActiveLearner, long, RoundResult>? round = null, Action<ActiveLearningRun>? finished = null)
    {
        Check(pool, test);
        context ??= new ActiveRunContext();
        var runs = new List<ActiveLearningRun>();
        foreach (long seed in Seeds)
        {
            foreach (var learner in Learners)
            {
                var state = StateRoot is null ? null : StateDirectory(StateRoot, learner.Acquisition.Name, seed);
                var progress = round is null ? null : new RoundProgress(r => round(learner, seed, r));
                var run = learner.Run(pool, test, context with { Seed = seed, StateDirectory = state, Progress = progress });
                runs.Add(run);
                finished?.Invoke(run);
            }
        }
        return Order(runs);
    }

    /// <summary>
    /// The finished runs saved under the state root for <paramref name="seeds"/> (default: this experiment's), including
    /// those that other processes saved, ordered by acquisition, then seed; empty without a state root.
    /// </summary>
    public IReadOnlyList<ActiveLearningRun> Finished(IEnumerable<long>? seeds = null)
    {
        if (StateRoot is null) return [];
        var root = StateRoot;
        return Order((seeds ?? Seeds).SelectMany(s => Learners.Select(l => ActiveStateStore.ReadFinished(StateDirectory(root, l.Acquisition.Name, s))))
            .OfType<ActiveLearningRun>().ToList());
    }

    private List<ActiveLearningRun> Order(List<ActiveLearningRun> runs)
    {
        var names = Learners.Select(l => l.Acquisition.Name).ToList();
        return runs.OrderBy(r => names.IndexOf(r.Acquisition)).ThenBy(r => r.Seed).ToList();
    }

    private sealed class RoundProgress(Action<RoundResult> report) : IProgress<RoundResult>
    {
        public void Report(RoundResult value) => report(value);
    }
}
