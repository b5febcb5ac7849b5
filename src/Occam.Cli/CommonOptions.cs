using System.CommandLine;

namespace Occam.Cli;

/// <summary>Options every command accepts.</summary>
public sealed class CommonOptions
{
    /// <summary>--seed.</summary>
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of initialisation, shuffling and sampling (same seed, same results)", DefaultValueFactory = _ => 0, Recursive = true };

    /// <summary>--device.</summary>
    public Option<string> Device { get; } = new("--device") { Description = "Torch device: cpu, or cuda / cuda:N with a CUDA build of TorchSharp", DefaultValueFactory = _ => "cpu", Recursive = true };

    /// <summary>--verbose.</summary>
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show stack traces on errors", Recursive = true };

    /// <summary>--schedule (training commands add it themselves).</summary>
    public static Option<string> Schedule() =>
        new("--schedule") { Description = "Learning-rate schedule of training: constant, cosine (annealed to zero over the run, as in the IVON paper) or cyclical:K (K cosine cycles)", DefaultValueFactory = _ => "constant" };

    /// <summary>The schedule named by --schedule.</summary>
    public static Core.LearningRateSchedule ParseSchedule(string? text)
    {
        try
        {
            return Core.LearningRateSchedule.Parse(text ?? "constant");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--schedule: {e.Message}");
        }
    }

    /// <summary>All of them.</summary>
    public IEnumerable<Option> All => [Seed, Device, Verbose];

    /// <summary>The torch device named by --device, validated before any tensor work.</summary>
    public static TorchSharp.torch.Device ParseDevice(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        if (lower == "cpu") return TorchSharp.torch.CPU;
        if (lower.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!TorchSharp.torch.cuda.is_available())
                throw new ArgumentException($"--device {name}: CUDA is not available in this build (TorchSharp-cpu); reference a TorchSharp-cuda package to use a GPU");
            return new TorchSharp.torch.Device(lower);
        }
        throw new ArgumentException($"--device must be cpu or cuda[:N]; got '{name}'");
    }
}
