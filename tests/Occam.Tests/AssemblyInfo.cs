// libtorch's global random generator (dropout, module initialisation) is process-wide state;
// seeded tests must not interleave with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
