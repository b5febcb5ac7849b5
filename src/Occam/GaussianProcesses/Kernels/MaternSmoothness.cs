namespace Occam.GaussianProcesses.Kernels;

/// <summary>The smoothness ν of a Matérn kernel (half-integer values, which have closed forms).</summary>
public enum MaternSmoothness
{
    /// <summary>ν = 1/2: k = exp(−r) (Ornstein–Uhlenbeck; continuous, nowhere differentiable paths).</summary>
    Half,

    /// <summary>ν = 3/2: k = (1 + √3 r) exp(−√3 r) (once differentiable paths).</summary>
    ThreeHalves,

    /// <summary>ν = 5/2: k = (1 + √5 r + 5r²/3) exp(−√5 r) (twice differentiable paths).</summary>
    FiveHalves,
}
