using System.CommandLine;
using Occam.Evaluation;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench mnist</c>: LeNet-5 on MNIST per method; test accuracy, NLL, ECE and Brier, the
/// rotated-MNIST curve, and notMNIST out-of-distribution AUROC (see <see cref="MnistProtocol"/>).
/// </summary>
public static class BenchMnistCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliEnvironment env)
    {
        var args = new BenchMnistArguments(env, env.Common);
        var command = new Command("mnist", "MNIST with LeNet-5: test accuracy, NLL, ECE and Brier; rotated-MNIST shift curve; notMNIST out-of-distribution AUROC (entropy and mutual information)");
        args.AddTo(command);
        command.SetAction(parsed =>
        {
            var request = args.Read(parsed);
            using var folder = OutputFolder.Begin(parsed.GetValue(args.Output)!, "--out");
            var (train, test, ood) = request.Load();
            using (train)
            using (test)
            using (ood)
            {
                env.Console.MarkupLine(Markup.Escape($"MNIST: {train.Count} training and {test.Count} test images; OOD: "
                    + (ood is null ? "none" : $"{ood.Count} notMNIST images from {request.OodDir}")));
                var rows = new List<MnistRow>();
                foreach (var run in request.Runs)
                    rows.AddRange(RunMethod(env, request, run, train, test, ood));
                Report(env, folder.Path, request, rows);
            }
            env.Cancellation.ThrowIfCancellationRequested();
            folder.Commit();
            env.Console.MarkupLine($"wrote [bold]{Markup.Escape(folder.Target)}[/]: results.json and results.md");
            return 0;
        });
        return command;
    }

    /// <summary>Fits and scores one method (the rows of its prediction variants), reporting progress lines to the console.</summary>
    internal static IReadOnlyList<MnistRow> RunMethod(CliEnvironment env, BenchMnistRequest request, MethodRun run, Data.Dataset train, Data.Dataset test, Data.Dataset? ood)
    {
        var lines = new LineProgress(line => env.Console.MarkupLine(Markup.Escape(line)));
        return MnistProtocol.Run(train, test, ood, run, request.Options, lines, env.Cancellation);
    }

    /// <summary>Writes results.json and results.md into <paramref name="directory"/> and prints the tables.</summary>
    internal static void Report(CliEnvironment env, string directory, BenchMnistRequest request, IReadOnlyList<MnistRow> rows)
    {
        BenchMnistReport.Write(directory, new MnistBenchReport(request.DataDir, request.OodDir, request.Options, request.Settings(), rows));
        BenchMnistReport.Print(env.Console, rows);
    }
}
