namespace Occam.Cli;

/// <summary>Entry point of the <c>occam</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code; Ctrl-C interrupts the run between steps (exit 130), a second Ctrl-C ends the process.</summary>
    public static int Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (interrupt.IsCancellationRequested) return; // a second Ctrl-C ends the process
            e.Cancel = true;
            interrupt.Cancel();
        };
        return CliApp.Run(args, Console.Out, Console.Error, interrupt.Token);
    }
}
