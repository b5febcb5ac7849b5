using Occam.Models;

namespace Occam.Posteriors.Storage;

/// <summary>The JSON form of an architecture: Occam's MLP and LeNet-5 are rebuilt from it; a custom module is named, and its spec must be given when loading.</summary>
/// <param name="Kind">"mlp", "lenet" or "custom".</param>
/// <param name="Hidden">MLP hidden widths.</param>
/// <param name="Activation">MLP activation.</param>
/// <param name="Dropout">Dropout rate.</param>
/// <param name="InitScale">MLP initialisation scale.</param>
/// <param name="Name">A custom module's description.</param>
public sealed record NetworkSpecDto(string Kind, int[]? Hidden, string? Activation, double Dropout, double InitScale = 1.0, string? Name = null)
{
    /// <summary>The stored form of <paramref name="spec"/>.</summary>
    public static NetworkSpecDto From(NetworkSpec spec) => spec switch
    {
        MlpSpec mlp => new NetworkSpecDto("mlp", mlp.Hidden, mlp.Activation.ToString(), mlp.Dropout, mlp.InitScale),
        LeNetSpec lenet => new NetworkSpecDto("lenet", null, null, lenet.Dropout),
        _ => new NetworkSpecDto("custom", null, null, 0, 1.0, spec.Describe()),
    };

    /// <summary>The spec to rebuild the network from: Occam's own, or <paramref name="given"/> for a custom module.</summary>
    /// <exception cref="ArgumentException">A custom module and no spec given.</exception>
    public NetworkSpec ToSpec(NetworkSpec? given) => Kind switch
    {
        "mlp" => new MlpSpec(Hidden ?? [], Enum.Parse<Activation>(Activation ?? "ReLU"), Dropout, InitScale),
        "lenet" => new LeNetSpec(Dropout),
        "custom" => given ?? throw new ArgumentException($"this posterior was fitted on a custom module ('{Name}'); pass its spec (the CustomSpec with its factory) to load it"),
        _ => throw new NotSupportedException($"Unknown network kind '{Kind}'."),
    };
}
