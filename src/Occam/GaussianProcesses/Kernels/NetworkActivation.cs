namespace Occam.GaussianProcesses.Kernels;

/// <summary>The nonlinearity of the fully connected network behind an <see cref="NngpKernel"/> or <see cref="NtkKernel"/>.</summary>
public enum NetworkActivation
{
    /// <summary>ReLU, max(0, u): the arc-cosine kernel recursion of Cho &amp; Saul (2009).</summary>
    Relu,

    /// <summary>The error function erf(u): the closed form of Williams (1997).</summary>
    Erf,
}
