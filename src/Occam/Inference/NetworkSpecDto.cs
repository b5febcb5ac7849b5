using Occam.Models;

namespace Occam.Inference;

/// <summary>The JSON form of an architecture that Occam can rebuild (MLP, LeNet-5).</summary>
internal sealed record NetworkSpecDto(string Kind, int[]? Hidden, string? Activation, double Dropout, double InitScale = 1.0)
{
    public static NetworkSpecDto From(NetworkSpec spec) => spec switch
    {
        MlpSpec mlp => new NetworkSpecDto("mlp", mlp.Hidden, mlp.Activation.ToString(), mlp.Dropout, mlp.InitScale),
        LeNetSpec lenet => new NetworkSpecDto("lenet", null, null, lenet.Dropout),
        _ => throw new NotSupportedException($"Saving is supported for Occam's MLP and LeNet5; {spec.Describe()} cannot be rebuilt from a file. Save its state_dict yourself."),
    };

    public NetworkSpec ToSpec() => Kind switch
    {
        "mlp" => new MlpSpec(Hidden ?? [], Enum.Parse<Activation>(Activation ?? "ReLU"), Dropout, InitScale),
        "lenet" => new LeNetSpec(Dropout),
        _ => throw new NotSupportedException($"Unknown network kind '{Kind}'."),
    };
}
