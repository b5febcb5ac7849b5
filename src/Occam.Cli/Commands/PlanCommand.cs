using System.CommandLine;
using Occam.Distributed;
using Occam.Evaluation;
using Occam.Inference.Ensembles;
using Occam.Inference.Sampling;
using Occam.Inference.Swag;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam plan fit|bench uci|bench mnist|active ARGS --store DIR</c>: cuts a run into independent tasks and writes DIR/plan.json.
/// A deep ensemble or MultiSWAG plans one task per member, a stochastic-gradient sampler with K &gt; 1 chains one per chain, a UCI benchmark one per (dataset, split),
/// an MNIST benchmark one per method, an active-learning run one per (seed, acquisition function), any other fit one task.
/// </summary>
public static class PlanCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var plan = new Command("plan", "Cut a fit, a benchmark or an active-learning run into independent tasks and write them to --store DIR/plan.json (then: occam launch, work, status, combine)");
        plan.Subcommands.Add(Fit(env));
        var bench = new Command("bench", "Plan a benchmark protocol");
        bench.Subcommands.Add(BenchUci(env));
        bench.Subcommands.Add(BenchMnist(env));
        plan.Subcommands.Add(bench);
        plan.Subcommands.Add(Active(env));
        return plan;
    }

    private static Option<string> StoreOption() => new("--store") { Description = "Folder of the plan and its task outputs (shared by every worker)", Required = true };

    private static Command Fit(CliEnvironment env)
    {
        var args = new FitArguments(env, env.Common);
        var store = StoreOption();
        var command = new Command("fit", "Plan occam fit: one task per ensemble or MultiSWAG member or SG-MCMC chain (trained one by one, as with --batched false), one task for other methods") { store };
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            RefuseOut(parsed, args.Output);
            var request = args.Read(parsed);
            var (train, test) = args.LoadData(parsed, request.Seed);
            train.Dispose();
            test?.Dispose();
            var arguments = PlannedArguments.Canonical(parsed, command.Options.Concat([env.Common.Device]), [store, args.Output], [args.Data]);
            var tasks = new List<PlanTask>();
            (int Count, bool Batched, string Kind, string Name)? members = request.Options switch
            {
                EnsembleOptions e => (e.Members, e.Batched, PlanTaskKind.EnsembleMember, "ensemble"),
                MultiSwagOptions s => (s.Members, s.Batched, PlanTaskKind.MultiSwagMember, "MultiSWAG fit"),
                SamplerOptions s when s is not HmcOptions && s.Chains > 1 => (s.Chains, s.Batched, PlanTaskKind.SamplerChain, "sampler"),
                _ => null,
            };
            if (members is { } k)
            {
                var given = env.MethodFlags.Given(parsed);
                if (given.ContainsKey("batched") && k.Batched)
                    throw new ArgumentException($"--batched: a planned {k.Name} trains each {Unit(k.Kind)} in its own task, as --batched false does in one process; leave --batched out", "batched");
                if (!given.ContainsKey("batched")) arguments.AddRange(["--batched", "false"]);
                for (int m = 0; m < k.Count; m++)
                    tasks.Add(new PlanTask(m, k.Kind, EnsembleMethod.MemberSeed(request.Seed, m), $"{Unit(k.Kind)} {m}", Member: m));
            }
            else
            {
                tasks.Add(new PlanTask(0, PlanTaskKind.Fit, request.Seed, request.Selection.Label));
            }
            return Write(env, parsed.GetValue(store)!, new Plan(Plan.CurrentFormat, PlannedArguments.Fit, arguments, request.Seed, tasks));
        });
        return command;
    }

    private static string Unit(string kind) => kind == PlanTaskKind.SamplerChain ? "chain" : "member";

    private static Command BenchUci(CliEnvironment env)
    {
        var args = new BenchUciArguments(env, env.Common);
        var store = StoreOption();
        var command = new Command("uci", "Plan occam bench uci: one task per (dataset, split), every method within the task") { store };
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            RefuseOut(parsed, args.Output);
            var request = args.Read(parsed);
            var arguments = PlannedArguments.Canonical(parsed, command.Options.Concat([env.Common.Device]), [store, args.Output], [args.DataDir]);
            var tasks = new List<PlanTask>();
            for (int d = 0; d < request.Datasets.Count; d++)
                for (int split = 0; split < request.SplitCounts[d]; split++)
                    tasks.Add(new PlanTask(tasks.Count, PlanTaskKind.UciSplit, UciProtocol.SplitSeed(request.Options.Seed, split), $"{request.Datasets[d]} split {split}",
                        Dataset: request.Datasets[d], Split: split));
            return Write(env, parsed.GetValue(store)!, new Plan(Plan.CurrentFormat, PlannedArguments.BenchUci, arguments, request.Options.Seed, tasks));
        });
        return command;
    }

    private static Command BenchMnist(CliEnvironment env)
    {
        var args = new BenchMnistArguments(env, env.Common);
        var store = StoreOption();
        var command = new Command("mnist", "Plan occam bench mnist: one task per method (with its @mean variants)") { store };
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            RefuseOut(parsed, args.Output);
            var request = args.Read(parsed);
            var (train, test, ood) = request.Load();
            train.Dispose();
            test.Dispose();
            ood?.Dispose();
            var arguments = PlannedArguments.Canonical(parsed, command.Options.Concat([env.Common.Device]), [store, args.Output], args.Paths);
            // The OOD folder found next to the MNIST folder is fixed now, so every worker scores the same data.
            if (parsed.GetResult(args.OodDir) is not { Implicit: false } && !parsed.GetValue(args.NoOod))
                arguments.AddRange(request.OodDir is null ? [args.NoOod.Name] : [args.OodDir.Name, Path.GetFullPath(request.OodDir)]);
            var tasks = request.Runs.Select((run, i) => MnistTask(i, run, request.Options.Seed)).ToList();
            return Write(env, parsed.GetValue(store)!, new Plan(Plan.CurrentFormat, PlannedArguments.BenchMnist, arguments, request.Options.Seed, tasks));
        });
        return command;
    }

    /// <summary>The task of MNIST method run <paramref name="run"/> (index <paramref name="index"/>): it fits with the benchmark's seed, as every method does in one process.</summary>
    internal static PlanTask MnistTask(int index, MethodRun run, long seed)
    {
        var labels = string.Join(",", run.Predictions.Select(p => p.Label));
        return new PlanTask(index, PlanTaskKind.MnistMethod, seed, labels, Method: labels);
    }

    private static Command Active(CliEnvironment env)
    {
        var args = new ActiveArguments(env, env.Common);
        var store = StoreOption();
        var command = new Command("active", "Plan occam active: one task per seed and acquisition function") { store };
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            RefuseOut(parsed, args.Output);
            using var request = args.Read(parsed);
            var arguments = PlannedArguments.Canonical(parsed, command.Options.Concat([env.Common.Device]), [store, args.Output], args.Paths);
            return Write(env, parsed.GetValue(store)!, new Plan(Plan.CurrentFormat, PlannedArguments.Active, arguments, request.Seeds[0], PlannedActive.Tasks(request)));
        });
        return command;
    }

    private static void RefuseOut(ParseResult parsed, Option<string> output)
    {
        if (parsed.GetResult(output) is { Implicit: false })
            throw new ArgumentException("--out: a plan's result is written by occam combine (into --store DIR/result, or its own --out); leave --out out of the plan");
    }

    private static int Write(CliEnvironment env, string directory, Plan plan)
    {
        var store = TaskStore.Create(directory, plan);
        env.Console.MarkupLine(Markup.Escape($"planned {plan.Count} task{(plan.Count == 1 ? "" : "s")} of {plan.Command} (plan {store.Hash[..12]}) in {Path.Combine(store.Directory, TaskStore.PlanFileName)}"));
        env.Console.MarkupLine(Markup.Escape($"run them with: occam launch --store {store.Directory} [--engine local|slurm|k8s]"));
        return 0;
    }
}
