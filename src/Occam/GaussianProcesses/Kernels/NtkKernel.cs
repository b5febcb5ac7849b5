using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The neural tangent kernel (Jacot et al. 2018) of a fully connected network with <c>depth</c> hidden
/// layers in the infinite-width limit, computed by the recursion of Arora et al. (2019):
/// Σ¹ = σ_w² x·x′/D + σ_b², Σˡ⁺¹ = σ_w² E[φ(u)φ(v)] + σ_b², Σ̇ˡ⁺¹ = σ_w² E[φ′(u)φ′(v)], Θ¹ = Σ¹,
/// Θˡ⁺¹ = Θˡ Σ̇ˡ⁺¹ + Σˡ⁺¹, k = Θ^{L+1}. It is the limit of ⟨∇_θ f(x), ∇_θ f(x′)⟩ in the NTK
/// parameterisation: layer l computes (σ_w/√fan_in)·Wˡ φ(hˡ⁻¹) + σ_b βˡ with trained Wˡ, βˡ ~ N(0, 1).
/// ReLU expectations use the arc-cosine kernels (Cho &amp; Saul 2009), erf those of Williams (1997).
/// σ_w² and σ_b² are fixed (the kernel has no trainable hyperparameters).
/// </summary>
public sealed class NtkKernel : Kernel
{
    private readonly InfiniteWidthNetwork _network;

    /// <summary>Creates the kernel; depth ≥ 1, σ_w² &gt; 0 and σ_b² ≥ 0, all finite.</summary>
    /// <param name="depth">Hidden layers L.</param>
    /// <param name="activation">ReLU or erf.</param>
    /// <param name="weightVariance">σ_w².</param>
    /// <param name="biasVariance">σ_b².</param>
    public NtkKernel(int depth, NetworkActivation activation, double weightVariance = 1.0, double biasVariance = 0.0) =>
        _network = new InfiniteWidthNetwork(depth, activation, weightVariance, biasVariance).Validate(nameof(NtkKernel));

    /// <summary>Hidden layers L.</summary>
    public int Depth => _network.Depth;

    /// <summary>The activation.</summary>
    public NetworkActivation Activation => _network.Activation;

    /// <summary>σ_w².</summary>
    public double WeightVariance => _network.WeightVariance;

    /// <summary>σ_b².</summary>
    public double BiasVariance => _network.BiasVariance;

    /// <summary>None: σ_w² and σ_b² are fixed.</summary>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [];

    /// <inheritdoc />
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2) => _network.Evaluate(x1, x2, withNtk: true).Ntk!;

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x) => _network.Evaluate(x, null, withNtk: true).Ntk!;

    /// <inheritdoc />
    public override string ToString() => $"NtkKernel({_network.Describe()})";

    /// <inheritdoc />
    protected override void DisposeCore() { }
}
