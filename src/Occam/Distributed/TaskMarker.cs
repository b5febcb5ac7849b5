namespace Occam.Distributed;

/// <summary>The done marker (<c>done.json</c>) a finished task leaves in its folder, written last before the folder is renamed into place.</summary>
/// <param name="PlanHash">The hash of the plan the task belongs to.</param>
/// <param name="Task">The task index.</param>
/// <param name="Seconds">Wall time of the task.</param>
public sealed record TaskMarker(string PlanHash, int Task, double Seconds)
{
    /// <summary>The marker's file name.</summary>
    public const string FileName = "done.json";
}
