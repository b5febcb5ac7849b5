namespace Occam.Distributed;

/// <summary>A store whose tasks are not all done; the message names the missing ones in rerun form ("1,4-6").</summary>
public sealed class IncompleteStoreException : OccamException
{
    /// <summary>Creates the exception for <paramref name="missing"/> tasks of <paramref name="store"/>.</summary>
    public IncompleteStoreException(TaskStore store, IReadOnlyList<int> missing)
        : base($"--store {store.Directory}: task{(missing.Count == 1 ? "" : "s")} {IndexRanges.Format(missing)} of {store.Plan.Count} {(missing.Count == 1 ? "is" : "are")} not done; "
            + $"run {(missing.Count == 1 ? "it" : "them")} first (occam launch --store DIR --only-missing, or occam work --store DIR --task I)")
    {
        Missing = missing;
    }

    /// <summary>The tasks not done.</summary>
    public IReadOnlyList<int> Missing { get; }
}
