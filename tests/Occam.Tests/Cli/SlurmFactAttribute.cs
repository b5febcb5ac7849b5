using Occam.Distributed;

namespace Occam.Tests.Cli;

/// <summary>
/// A test that needs a running Slurm (sbatch on PATH and SLURM_CONF set, as .ci/slurm-up.sh leaves them). It is
/// skipped without one, except under CI=true, where it runs and fails: CI must test the Slurm engine.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && (WorkerCommand.FindOnPath("sbatch") is null || Environment.GetEnvironmentVariable("SLURM_CONF") is null))
            Skip = "no Slurm here (sbatch on PATH and SLURM_CONF); as root, `source .ci/slurm-up.sh` starts a single-node cluster";
    }
}
