using Occam.Training;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Shows training progress (one bar, advanced per epoch) while a fit runs.</summary>
public static class Progress
{
    /// <summary>Runs <paramref name="fit"/>, feeding its epoch reports to a progress bar.</summary>
    public static T Run<T>(IAnsiConsole console, int epochs, Func<IProgress<EpochReport>, T> fit)
    {
        T result = default!;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("training", maxValue: epochs);
            var progress = new SynchronousProgress(report =>
            {
                task.Description = $"{report.Stage} loss {report.Loss:F3}";
                task.Value = report.Epoch;
            });
            result = fit(progress);
        });
        return result;
    }

    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
