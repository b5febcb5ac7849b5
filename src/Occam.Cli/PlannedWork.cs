using Occam.Core;
using Occam.Data;
using Occam.Distributed;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Ensembles;
using Occam.Inference.Sampling;
using Occam.Inference.Swag;
using Occam.Posteriors;
using Occam.Posteriors.Storage;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>
/// What <c>work</c> and <c>combine</c> do with each kind of task: an ensemble or MultiSWAG member or a sampler chain is saved as a
/// one-member (one-chain) posterior (tasks/I/member), a whole fit as its model (tasks/I/model), a UCI split as the
/// scores of every method (tasks/I/split.json); combining rebuilds exactly what the single-process command writes.
/// MNIST methods are in <see cref="PlannedMnist"/>, active-learning runs in <see cref="PlannedActive"/>.
/// </summary>
internal static class PlannedWork
{
    private const string MemberFolder = "member", ModelFolderName = "model", SplitFile = "split.json";

    /// <summary>Runs <paramref name="task"/> and writes its output into <paramref name="directory"/>.</summary>
    public static void Run(CliEnvironment env, TaskStore store, PlanTask task, string directory)
    {
        switch (task.Kind)
        {
            case PlanTaskKind.EnsembleMember or PlanTaskKind.MultiSwagMember or PlanTaskKind.SamplerChain or PlanTaskKind.Fit:
                RunFit(env, store, task, directory);
                return;
            case PlanTaskKind.UciSplit:
                RunSplit(env, store, task, directory);
                return;
            case PlanTaskKind.MnistMethod:
                PlannedMnist.Run(env, store, task, directory);
                return;
            case PlanTaskKind.ActiveRun:
                PlannedActive.Run(env, store, task, directory);
                return;
            default:
                throw Unknown(store, task);
        }
    }

    /// <summary>Combines the finished tasks into <paramref name="directory"/>, as the single-process command writes its --out folder.</summary>
    public static void Combine(CliEnvironment env, TaskStore store, IReadOnlyList<TaskMarker> markers, string directory)
    {
        switch (store.Plan.Command)
        {
            case PlannedArguments.Fit:
                CombineFit(env, store, markers, directory);
                return;
            case PlannedArguments.BenchUci:
                CombineBench(env, store, directory);
                return;
            case PlannedArguments.BenchMnist:
                PlannedMnist.Combine(env, store, directory);
                return;
            case PlannedArguments.Active:
                PlannedActive.Combine(env, store, directory);
                return;
            default:
                throw new DataFormatException(Path.Combine(store.Directory, TaskStore.PlanFileName), null, null, $"unknown planned command '{store.Plan.Command}'");
        }
    }

    private static void RunFit(CliEnvironment env, TaskStore store, PlanTask task, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseFit(env, store);
        var request = args.Read(parsed);
        var (train, test) = args.LoadData(parsed, request.Seed);
        using (train)
        using (test)
        {
            var method = args.CreateMethod(parsed, request, train);
            var context = new FitContext(request.Seed, request.Device, Cancellation: env.Cancellation);
            if (task.Kind == PlanTaskKind.Fit)
            {
                using var posterior = Progress.Run(env.Console, progress => method.Fit(train, context with { Progress = progress }));
                posterior.Save(Path.Combine(directory, ModelFolderName));
                return;
            }
            if (task.Member is not { } member || EnsembleMethod.MemberSeed(request.Seed, member) != task.Seed)
                throw Unknown(store, task);
            using IPosterior fitted = (task.Kind, method) switch
            {
                (PlanTaskKind.EnsembleMember, EnsembleMethod ensemble) => Progress.Run(env.Console, progress => ensemble.FitMember(train, context with { Progress = progress }, member)),
                (PlanTaskKind.MultiSwagMember, MultiSwagMethod multiSwag) => Progress.Run(env.Console, progress => multiSwag.FitMember(train, context with { Progress = progress }, member)),
                (PlanTaskKind.SamplerChain, IChainSampler sampler) => Progress.Run(env.Console, progress => sampler.FitChain(train, context with { Progress = progress }, member)),
                _ => throw Unknown(store, task),
            };
            fitted.Save(Path.Combine(directory, MemberFolder));
        }
    }

    private static void RunSplit(CliEnvironment env, TaskStore store, PlanTask task, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseBenchUci(env, store);
        var request = args.Read(parsed);
        if (task.Dataset is not { } name || task.Split is not { } split || !request.Datasets.Contains(name) || UciProtocol.SplitSeed(request.Options.Seed, split) != task.Seed)
            throw Unknown(store, task);
        using var benchmark = UciBenchmark.Load(request.Folder(name));
        var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
        var results = request.Runs.Select((_, r) => request.RunSplit(benchmark, r, split, lines, env.Cancellation)).ToList();
        JsonReport.Write(Path.Combine(directory, SplitFile), results);
    }

    private static void CombineFit(CliEnvironment env, TaskStore store, IReadOnlyList<TaskMarker> markers, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseFit(env, store);
        var request = args.Read(parsed);
        var (train, test) = args.LoadData(parsed, request.Seed);
        using (train)
        using (test)
        {
            double fitSeconds = markers.Sum(m => m.Seconds);
            var format = parsed.GetValue(args.Format);
            if (store.Plan.Tasks is [{ Kind: PlanTaskKind.Fit }])
            {
                var model = Path.Combine(directory, ModelFolderName);
                Directory.CreateDirectory(model);
                foreach (var file in Directory.EnumerateFiles(Path.Combine(store.TaskDirectory(0), ModelFolderName)))
                    File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
                using var loaded = PosteriorStore.Load(model, new LoadContext(Device: request.Device), env.Registry);
                Commands.FitCommand.Report(env, directory, loaded, args.CreateMethod(parsed, request, train).Setup.Prior, request, train, test, fitSeconds, format);
                return;
            }
            var method = args.CreateMethod(parsed, request, train);
            var context = new FitContext(request.Seed, request.Device, Cancellation: env.Cancellation);
            string kind = store.Plan.Tasks[0].Kind;
            using IPosterior posterior = (method, kind) switch
            {
                (EnsembleMethod ensemble, PlanTaskKind.EnsembleMember) when store.Plan.Tasks.All(t => t.Kind == kind) =>
                    CombineMembers<WeightPosterior>(env, store, request, "an ensemble member", members => ensemble.Combine(train, context, members)),
                (MultiSwagMethod multiSwag, PlanTaskKind.MultiSwagMember) when store.Plan.Tasks.All(t => t.Kind == kind) =>
                    CombineMembers<WeightMixturePosterior>(env, store, request, "a MultiSWAG member", members => multiSwag.Combine(train, context, members)),
                (IChainSampler sampler, PlanTaskKind.SamplerChain) when store.Plan.Tasks.All(t => t.Kind == kind) =>
                    CombineMembers<WeightPosterior>(env, store, request, "a sampler chain", chains => sampler.CombineChains(train, context, chains)),
                _ => throw new DataFormatException(Path.Combine(store.Directory, TaskStore.PlanFileName), null, null,
                    "a planned fit holds either one fit task or one task per ensemble or MultiSWAG member or sampler chain"),
            };
            posterior.Save(Path.Combine(directory, ModelFolderName));
            Commands.FitCommand.Report(env, directory, posterior, method.Setup.Prior, request, train, test, fitSeconds, format);
        }
    }

    /// <summary>Loads every task's member (each must be a <typeparamref name="T"/>, else the file is named) and combines them; the members are disposed after.</summary>
    private static IPosterior CombineMembers<T>(CliEnvironment env, TaskStore store, FitRequest request, string what, Func<IReadOnlyList<T>, IPosterior> combine)
        where T : class, IPosterior
    {
        var members = new List<T>();
        try
        {
            foreach (var task in store.Plan.Tasks)
            {
                var folder = Path.Combine(store.TaskDirectory(task.Index), MemberFolder);
                var loaded = PosteriorStore.Load(folder, new LoadContext(Device: request.Device), env.Registry);
                if (loaded is not T member)
                {
                    loaded.Dispose();
                    throw new DataFormatException(Path.Combine(folder, PosteriorStore.ManifestName), null, null, $"not {what}");
                }
                members.Add(member);
            }
            return combine(members);
        }
        finally
        {
            foreach (var m in members) m.Dispose();
        }
    }

    private static void CombineBench(CliEnvironment env, TaskStore store, string directory)
    {
        var (args, parsed) = PlannedArguments.ParseBenchUci(env, store);
        var request = args.Read(parsed);
        var results = store.Plan.Tasks.ToDictionary(t => t.Index, t => ReadSplit(store, t, request.Runs.Count));
        var rows = new List<UciRow>();
        foreach (var name in request.Datasets)
        {
            var tasks = store.Plan.Tasks.Where(t => t.Dataset == name).OrderBy(t => t.Split).ToList();
            for (int r = 0; r < request.Runs.Count; r++)
            {
                foreach (var row in UciProtocol.Summarise(tasks.Select(t => results[t.Index][r]).ToList()))
                {
                    rows.Add(row);
                    Commands.BenchUciCommand.PrintRow(env.Console, row);
                }
            }
        }
        Commands.BenchUciCommand.Write(env.Console, directory, rows);
    }

    private static List<UciSplitResult> ReadSplit(TaskStore store, PlanTask task, int methods)
    {
        var file = Path.Combine(store.TaskDirectory(task.Index), SplitFile);
        var results = ReadJson<List<UciSplitResult>>(file, "the scores of a UCI split");
        if (results is null || results.Count != methods || results.Any(r => r.Dataset != task.Dataset || r.Split != task.Split))
            throw new DataFormatException(file, null, null, $"expected the scores of {methods} method(s) on {task.Label}");
        return results;
    }

    /// <summary>Reads a task's JSON output <paramref name="file"/>; a file that does not parse is named as not being <paramref name="what"/>.</summary>
    public static T? ReadJson<T>(string file, string what)
    {
        try
        {
            return JsonReport.Deserialize<T>(File.ReadAllText(file));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new DataFormatException(file, null, null, $"not {what} ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>The error for a task that does not belong to its plan's arguments.</summary>
    public static DataFormatException Unknown(TaskStore store, PlanTask task) =>
        new(Path.Combine(store.Directory, TaskStore.PlanFileName), null, null, $"task {task.Index} ({task.Kind}, {task.Label}) does not fit the planned {store.Plan.Command} arguments");
}
