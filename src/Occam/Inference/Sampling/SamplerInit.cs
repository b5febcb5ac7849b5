namespace Occam.Inference.Sampling;

/// <summary>Where a sampler's chains start.</summary>
public enum SamplerInit
{
    /// <summary>The network's own random initialisation (each chain its own seed or member).</summary>
    Random,

    /// <summary>A MAP fit per chain (the model's training options, from each chain's initialisation), then sampling from there.</summary>
    Map,
}
