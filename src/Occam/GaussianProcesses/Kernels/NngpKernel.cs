using static TorchSharp.torch;

namespace Occam.GaussianProcesses.Kernels;

/// <summary>
/// The neural network Gaussian process kernel (Neal 1996; Lee et al. 2018): the covariance of the output
/// of a fully connected network with <c>depth</c> hidden layers of infinite width, weights
/// N(0, σ_w²/fan_in) and biases N(0, σ_b²), over the random initialisation. See
/// <see cref="NtkKernel"/> for the recursion. σ_w² and σ_b² are fixed architecture constants, not trainable
/// hyperparameters (the kernel has none); wrap it in a <see cref="ScaleKernel"/> to learn an overall scale.
/// </summary>
public sealed class NngpKernel : Kernel
{
    private readonly InfiniteWidthNetwork _network;

    /// <summary>Creates the kernel; depth ≥ 1, σ_w² &gt; 0 and σ_b² ≥ 0, all finite.</summary>
    /// <param name="depth">Hidden layers L.</param>
    /// <param name="activation">ReLU or erf.</param>
    /// <param name="weightVariance">σ_w² (weights are N(0, σ_w²/fan_in)); 2 keeps ReLU activations at a constant scale.</param>
    /// <param name="biasVariance">σ_b².</param>
    public NngpKernel(int depth, NetworkActivation activation, double weightVariance = 1.0, double biasVariance = 0.0) =>
        _network = new InfiniteWidthNetwork(depth, activation, weightVariance, biasVariance).Validate(nameof(NngpKernel));

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
    protected internal override Tensor MatrixCore(Tensor x1, Tensor x2) => _network.Evaluate(x1, x2, withNtk: false).Nngp;

    /// <inheritdoc />
    protected internal override Tensor DiagonalCore(Tensor x) => _network.Evaluate(x, null, withNtk: false).Nngp;

    /// <inheritdoc />
    public override string ToString() => $"NngpKernel({_network.Describe()})";

    /// <inheritdoc />
    protected override void DisposeCore() { }
}
