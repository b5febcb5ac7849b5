using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Occam.Distributed;

/// <summary>The kinds of planned task.</summary>
public static class PlanTaskKind
{
    /// <summary>One member of a deep ensemble, trained alone (<c>fit --method ensemble</c>).</summary>
    public const string EnsembleMember = "ensemble-member";

    /// <summary>One SWAG run of a MultiSWAG fit, trained alone (<c>fit --method multiswag</c>).</summary>
    public const string MultiSwagMember = "multiswag-member";

    /// <summary>One chain of a stochastic-gradient sampler, run alone (<c>fit --method sgld</c> and the other SG-MCMC methods with K &gt; 1 chains).</summary>
    public const string SamplerChain = "sampler-chain";

    /// <summary>A whole fit (methods without separately trained members).</summary>
    public const string Fit = "fit";

    /// <summary>Every method of a UCI benchmark on one split of one dataset (<c>bench uci</c>).</summary>
    public const string UciSplit = "uci-split";

    /// <summary>One method of an MNIST benchmark, fitted and scored with all its prediction variants (<c>bench mnist</c>).</summary>
    public const string MnistMethod = "mnist-method";

    /// <summary>One acquisition function and seed of an active-learning run (<c>active</c>).</summary>
    public const string ActiveRun = "active-run";
}

/// <summary>One unit of work of a plan.</summary>
/// <param name="Index">The task index, 0..N−1.</param>
/// <param name="Kind">What the task does (<see cref="PlanTaskKind"/>).</param>
/// <param name="Seed">The seed the task fits with, derived from the plan's seed (see <see cref="Plan"/>).</param>
/// <param name="Label">A short description for people ("member 2", "yacht split 3").</param>
/// <param name="Member">The member, for <see cref="PlanTaskKind.EnsembleMember"/> and <see cref="PlanTaskKind.MultiSwagMember"/>; the chain, for <see cref="PlanTaskKind.SamplerChain"/>.</param>
/// <param name="Dataset">The dataset folder name, for <see cref="PlanTaskKind.UciSplit"/>.</param>
/// <param name="Split">The split, for <see cref="PlanTaskKind.UciSplit"/>.</param>
/// <param name="Method">The method as listed (with its @mean variants, comma-separated), for <see cref="PlanTaskKind.MnistMethod"/>.</param>
/// <param name="Acquisition">The acquisition function, for <see cref="PlanTaskKind.ActiveRun"/>.</param>
public sealed record PlanTask(int Index, string Kind, long Seed, string Label, int? Member = null, string? Dataset = null, int? Split = null,
    string? Method = null, string? Acquisition = null);

/// <summary>
/// A run cut into independent tasks: the command and its arguments (as <c>occam COMMAND ARGUMENTS --seed SEED</c>
/// would run it in one process), the plan's seed and the tasks. Task seeds follow the single-process run:
/// ensemble or MultiSWAG member m and sampler chain m fit with seed · 1 000 003 + m + 1 (<see cref="Inference.Ensembles.EnsembleMethod.MemberSeed"/>), UCI split i
/// with seed + i (<see cref="Evaluation.UciProtocol.SplitSeed"/>), an active-learning run of seed index i with seed + i, a whole fit and an
/// MNIST method with the seed itself. The plan's
/// <see cref="Hash"/> is the SHA-256 of its canonical content (<see cref="CanonicalJson"/>).
/// </summary>
/// <param name="Format">The plan format version (<see cref="CurrentFormat"/>).</param>
/// <param name="Command">The planned command: "fit", "bench uci", "bench mnist" or "active".</param>
/// <param name="Arguments">The command's arguments, one token each, without --seed.</param>
/// <param name="Seed">The plan's seed.</param>
/// <param name="Tasks">The tasks, index i at position i.</param>
public sealed record Plan(int Format, string Command, IReadOnlyList<string> Arguments, long Seed, IReadOnlyList<PlanTask> Tasks)
{
    /// <summary>The plan format this version writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The number of tasks N.</summary>
    [JsonIgnore]
    public int Count => Tasks.Count;

    /// <summary>
    /// The canonical content: compact JSON (no white space) with snake_case names in declaration order,
    /// absent optional fields left out, UTF-8. The hash is taken over these bytes.
    /// </summary>
    public byte[] CanonicalJson() => JsonSerializer.SerializeToUtf8Bytes(this, StoreJson.Compact);

    /// <summary>SHA-256 of <see cref="CanonicalJson"/>, 64 lower-case hexadecimal digits.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(CanonicalJson()));

    /// <summary>Checks the tasks are numbered 0..N−1 in order.</summary>
    /// <exception cref="ArgumentException">An empty plan, or tasks out of order.</exception>
    public void Validate()
    {
        if (Tasks.Count == 0) throw new ArgumentException("A plan needs at least one task.", nameof(Tasks));
        for (int i = 0; i < Tasks.Count; i++)
            if (Tasks[i].Index != i) throw new ArgumentException($"Task at position {i} has index {Tasks[i].Index}.", nameof(Tasks));
        if (string.IsNullOrWhiteSpace(Command)) throw new ArgumentException("A plan needs a command.", nameof(Command));
    }
}
