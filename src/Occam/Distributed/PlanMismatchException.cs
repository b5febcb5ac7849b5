namespace Occam.Distributed;

/// <summary>A task store's files disagree with its plan: plan.json was changed after planning, or a task's output belongs to another plan.</summary>
public sealed class PlanMismatchException : OccamException
{
    /// <summary>Creates the exception with a message naming the file.</summary>
    public PlanMismatchException(string message) : base(message) { }
}
