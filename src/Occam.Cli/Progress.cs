using System.Globalization;
using Occam.Core;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Shows a fit's progress (one bar per run, advanced every step, with the last epoch's loss) while it runs.</summary>
public static class Progress
{
    /// <summary>Runs <paramref name="fit"/>, feeding its step reports to a progress bar.</summary>
    public static T Run<T>(IAnsiConsole console, Func<IProgress<RunReport>, T> fit)
    {
        T result = default!;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("starting", maxValue: 1);
            string? loss = null;
            var progress = new SynchronousProgress(report =>
            {
                if (report.Loss is { } l) loss = l.ToString("F3", CultureInfo.InvariantCulture);
                task.MaxValue = report.TotalSteps;
                task.Value = report.Step;
                task.Description = Markup.Escape(loss is null ? report.Stage : $"{report.Stage} (epoch {report.Epoch}/{report.Epochs}, loss {loss})");
            });
            result = fit(progress);
        });
        return result;
    }

    private sealed class SynchronousProgress(Action<RunReport> report) : IProgress<RunReport>
    {
        public void Report(RunReport value) => report(value);
    }
}
