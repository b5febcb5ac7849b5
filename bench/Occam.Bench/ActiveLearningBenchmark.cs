using System.Globalization;
using Occam.Active;
using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Priors;
using Occam.Training;

namespace Occam.Bench;

/// <summary>
/// The MNIST active-learning experiment of Gal, Islam &amp; Ghahramani (2017) on Occam's loop: LeNet-5,
/// a class-balanced initial set, b points per round up to a label budget, each acquisition function and seed
/// in turn (seed-major, so early results compare all acquisitions). Every run saves its state after each
/// round under --state and the report (JSON, Markdown, PNG) is rewritten after each finished run, so the
/// benchmark can be stopped and restarted with the same command.
/// </summary>
internal static class ActiveLearningBenchmark
{
    public static int Run(Func<string, string?> arg)
    {
        string mnist = arg("--mnist") ?? Path.Combine("..", "shared", "data", "mnist");
        string method = arg("--method") ?? "mc-dropout";
        var acquisitionNames = arg("--acquisitions") ?? "bald,variation-ratios,entropy,mean-std,random";
        int seeds = Int(arg("--seeds"), 3);
        var seedList = (arg("--seed-list") ?? string.Join(",", Enumerable.Range(0, seeds))).Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        string output = arg("--out") ?? Path.Combine("bench-results", "active-mnist", method);
        string stateRoot = arg("--state") ?? output + ".state";
        var options = new ActiveLearningOptions
        {
            Initial = Int(arg("--initial"), 20),
            ClassBalanced = true,
            Acquire = Int(arg("--acquire"), 10),
            Budget = Int(arg("--budget"), 1000),
            PoolSubset = Int(arg("--pool-subset"), 2000),
            Samples = Int(arg("--samples"), 20),
            TestSamples = Int(arg("--test-samples"), 10),
            TrainingSteps = arg("--steps") is { } steps ? int.Parse(steps, CultureInfo.InvariantCulture) : null,
        }.Validate();
        var training = new TrainerOptions
        {
            Epochs = Int(arg("--epochs"), 50),
            BatchSize = Int(arg("--batch-size"), 128),
            LearningRate = double.Parse(arg("--lr") ?? "1e-3", CultureInfo.InvariantCulture),
        };
        var setup = new ModelSetup
        {
            Network = new LeNetSpec(),
            Likelihood = new CategoricalLikelihood(),
            Prior = new GaussianPrior(double.Parse(arg("--prior-precision") ?? "1", CultureInfo.InvariantCulture)),
            Training = training,
        };
        var entry = MethodRegistry.Default.Find(method) ?? throw new ArgumentException($"unknown method '{method}'");
        var given = new Dictionary<string, string>();
        foreach (var name in new[] { "members", "dropout-rate", "hessian", "link" })
            if (arg("--" + name) is { } value && entry.Takes(name)) given[name] = value;
        var fitter = entry.Create(setup, entry.Bind(given));
        var acquisitions = Acquisitions.Parse(acquisitionNames, TaskKind.Classification);

        using var pool = IdxReader.LoadMnist(mnist, train: true, arg("--train-limit") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : null);
        using var test = IdxReader.LoadMnist(mnist, train: false, arg("--test-limit") is { } u ? int.Parse(u, CultureInfo.InvariantCulture) : null);
        var settings = new Dictionary<string, string>
        {
            ["data"] = $"MNIST: pool = the {pool.Count} training images, test = {test.Count} test images",
            ["model"] = $"{setup.Network.Describe()}, trained from scratch every round for " + (options.TrainingSteps is { } s ? $"about {s} steps" : $"{training.Epochs} epochs")
                + $", batch {training.BatchSize}, Adam lr {training.LearningRate.ToString(CultureInfo.InvariantCulture)}, {setup.Prior.Name}",
            ["method"] = $"{fitter.Name} ({Core.Options.OptionBinder.Summary(fitter.Options)})",
            ["loop"] = $"{options.Initial} class-balanced initial labels, {options.Acquire} acquired per round up to {options.Budget} labels, top-b",
            ["pool scoring"] = $"a fresh random subset of {options.PoolSubset} unlabelled images per round, {options.Samples} samples",
            ["test metrics"] = $"the full posterior predictive with {options.TestSamples} samples (where the method samples)",
            ["seeds"] = $"{string.Join(", ", Enumerable.Range(0, seeds))} planned (--seeds {seeds}); this process runs {string.Join(", ", seedList)}; the tables count the finished runs",
            ["threads"] = $"{TorchSharp.torch.get_num_threads()} torch threads on {Environment.ProcessorCount} cores",
        };
        var experiment = new ActiveLearningExperiment(fitter, acquisitions, options, seedList.Select(s => (long)s).ToList(), stateRoot);
        experiment.Run(pool, test, new ActiveRunContext(),
            (learner, seed, r) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {fitter.Name} {learner.Acquisition.Name} seed {seed} round {r.Round}: {r.Describe()}"),
            run =>
            {
                // Gather every finished run under the state folder, including those of other processes running other seeds.
                var runs = experiment.Finished(Enumerable.Range(0, seeds).Select(s => (long)s));
                settings["runs"] = $"{runs.Count} finished; fit and scoring time {runs.Sum(r => r.Seconds) / 3600:F2} h in total";
                ActiveLearningReport.Write(output, $"Active learning on MNIST: {fitter.Name}", settings, runs);
                Console.WriteLine($"{DateTime.Now:HH:mm:ss} finished {fitter.Name} {run.Acquisition} seed {run.Seed}; report in {output}");
            });
        return 0;
    }

    private static int Int(string? text, int fallback) => text is null ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
}
