using Occam.Models;
using Occam.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// A network with a factorised Gaussian over its weights, q(w) = Πᵢ N(wᵢ; μᵢ, σᵢ²) with
/// σ = softplus(ρ) (Bayes by Backprop, Blundell et al. 2015), made from an Occam <see cref="Mlp"/>
/// (<see cref="BayesianMlp"/>) or <see cref="LeNet5"/> (<see cref="BayesianLeNet5"/>) by
/// <see cref="FromNetwork"/>.
/// <para>
/// The means μ and raw scales ρ are two flat parameters [P] in the plain network's
/// <see cref="Core.WeightSpace"/> order, so μ copies straight into the plain network and (μ, σ)
/// become a <see cref="Posteriors.Weights.DiagonalGaussianWeights"/> over it. <see cref="forward"/> draws fresh
/// weights on every call (local reparameterisation for Linear layers, Flipout for Conv2d layers),
/// in training and evaluation mode alike, from libtorch's global generator.
/// </para>
/// </summary>
public abstract class BayesianNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Default initial standard deviation of every weight, σ₀ = 1e-3 (ρ₀ = log(e^σ₀ − 1) ≈ −6.91): the
    /// initial q is nearly a point mass at the means, so a network initialised from a MAP fit starts
    /// out predicting like it.
    /// </summary>
    public const double DefaultInitialSd = 1e-3;

    private static readonly HashSet<string> ConvertibleLayers = ["Linear", "Conv2d", "ReLU", "Tanh", "GELU", "Softplus", "MaxPool2d", "Flatten", "Dropout"];

    private readonly Parameter _means;
    private readonly Parameter _rawScales;
    private int _trainingSamples = 1;

    /// <summary>Takes over <paramref name="means"/> (a fresh float32 vector [P]) and sets σ = <paramref name="initialSd"/> everywhere.</summary>
    private protected BayesianNetwork(string name, Tensor means, double initialSd) : base(name)
    {
        if (means.dim() != 1 || means.dtype != ScalarType.Float32)
            throw new ArgumentException($"Expected float32 means [P]; got {means.dtype} [{string.Join(", ", means.shape)}].", nameof(means));
        double rho = RawScale(initialSd);
        InitialSd = initialSd;
        using (NewDisposeScope())
        {
            var scales = full(means.shape[0], rho, ScalarType.Float32, device: means.device);
            _rawScales = new Parameter(scales.DetachFromDisposeScope(), requires_grad: true);
        }
        _means = new Parameter(means.DetachFromDisposeScope(), requires_grad: true);
        register_parameter("means", _means);
        register_parameter("raw_scales", _rawScales);
    }

    /// <summary>The σ₀ the network was built with.</summary>
    public double InitialSd { get; }

    /// <summary>Number of weights P (μ and ρ hold P values each).</summary>
    public long ParameterCount => _means.shape[0];

    /// <summary>The variational means μ [P], in the plain network's <see cref="Core.WeightSpace"/> order.</summary>
    public Parameter Means => _means;

    /// <summary>The raw scales ρ [P], σ = softplus(ρ) = log(1 + e^ρ), same order as <see cref="Means"/>.</summary>
    public Parameter RawScales => _rawScales;

    /// <summary>
    /// Monte Carlo samples S per example in training mode (default 1). With S &gt; 1 the inputs [B, ...]
    /// are repeated and <see cref="forward"/> returns [S, B, O], S independent draws stacked along a
    /// leading sample dimension, so that a likelihood's batch-mean loss averages over them. In
    /// evaluation mode <see cref="forward"/> always returns one draw [B, O].
    /// </summary>
    public int TrainingSamples
    {
        get => _trainingSamples;
        set => _trainingSamples = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"Training samples must be at least 1; got {value}.");
    }

    /// <summary>The standard deviations σ = softplus(ρ) [P] (a fresh, detached tensor).</summary>
    public Tensor StandardDeviations()
    {
        using var noGrad = no_grad();
        return nn.functional.softplus(_rawScales.detach());
    }

    /// <summary>
    /// KL(q‖p) in closed form to the prior p = N(0, λ⁻¹I):
    /// ½ Σᵢ [λ(σᵢ² + μᵢ²) − 1 − log λ − 2 log σᵢ], a scalar that carries gradients to μ and ρ.
    /// On float32 CPU storage the value and the gradients come from one fused pass
    /// (<see cref="GaussianKlKernel"/>) and are returned as c + μ·∂μ + ρ·∂ρ with c, ∂μ and ∂ρ constants:
    /// the same value and the same gradients, with a two-node autograd graph.
    /// </summary>
    /// <param name="priorPrecision">Prior precision λ &gt; 0.</param>
    public Tensor KullbackLeibler(double priorPrecision)
    {
        CheckPrecision(priorPrecision);
        return UsesKernel ? FusedKullbackLeibler(priorPrecision) : AutogradKullbackLeibler(priorPrecision);
    }

    /// <summary>
    /// Adds <paramref name="scale"/>·∇KL(q‖p) to the gradients of μ and ρ, as a backward pass of
    /// <paramref name="scale"/>·KL would, and returns <paramref name="scale"/>·KL (a detached scalar).
    /// Call it after the data term's backward pass: on float32 CPU storage it is one fused pass
    /// straight into the existing gradients, without an autograd graph (training-loop use:
    /// <see cref="BayesByBackpropKernel"/>).
    /// </summary>
    /// <param name="priorPrecision">Prior precision λ &gt; 0.</param>
    /// <param name="scale">Multiplier c of the term, e.g. 1/N for the per-example ELBO.</param>
    public Tensor AddKullbackLeiblerGradient(double priorPrecision, double scale)
    {
        if (!double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"The KL scale must be finite; got {scale}.");
        CheckPrecision(priorPrecision);
        if (!UsesKernel || _means.grad is not { } meanGrad || _rawScales.grad is not { } rawGrad || !meanGrad.is_contiguous() || !rawGrad.is_contiguous())
        {
            var term = KullbackLeibler(priorPrecision).mul_(scale);
            term.backward();
            return term.detach();
        }
        int n = (int)ParameterCount;
        var sd = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        var sigmoid = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        try
        {
            var result = GaussianKlKernel.Evaluate(TensorStorage.Floats(_means), TensorStorage.Floats(_rawScales), TensorStorage.Floats(meanGrad), TensorStorage.Floats(rawGrad), sd, sigmoid, (float)priorPrecision, (float)scale, accumulate: true);
            return tensor(scale * result.KullbackLeibler, ScalarType.Float32, _means.device);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(sd);
            System.Buffers.ArrayPool<float>.Shared.Return(sigmoid);
        }
    }

    private static void CheckPrecision(double priorPrecision)
    {
        if (!(priorPrecision > 0) || !double.IsFinite(priorPrecision))
            throw new ArgumentOutOfRangeException(nameof(priorPrecision), $"The KL needs a proper prior: precision must be positive and finite; got {priorPrecision}.");
    }

    /// <summary>Float32 CPU storage on a machine with 256-bit SIMD: the KL uses <see cref="GaussianKlKernel"/>.</summary>
    private bool UsesKernel => _means.device_type == DeviceType.CPU && GaussianKlKernel.IsSupported && _means.is_contiguous() && _rawScales.is_contiguous();

    /// <summary>The KL through libtorch autograd (any device).</summary>
    internal Tensor AutogradKullbackLeibler(double priorPrecision)
    {
        using var scope = NewDisposeScope();
        var sd = nn.functional.softplus(_rawScales);
        var quadratic = sd.dot(sd).add(_means.dot(_means)).mul(0.5 * priorPrecision); // dot: one pass instead of square, add and sum
        return quadratic.sub(sd.log().sum()).sub(0.5 * ParameterCount * (1 + Math.Log(priorPrecision))).MoveToOuterDisposeScope();
    }

    /// <summary>The KL from one fused pass, as a surrogate with the exact value and gradients (float32 CPU).</summary>
    private Tensor FusedKullbackLeibler(double priorPrecision)
    {
        using var scope = NewDisposeScope();
        var meanGradient = empty_like(_means);
        var rawScaleGradient = empty_like(_rawScales);
        GaussianKlKernel.Result result;
        using (no_grad())
            result = GaussianKlKernel.Evaluate(TensorStorage.Floats(_means), TensorStorage.Floats(_rawScales), TensorStorage.Floats(meanGradient), TensorStorage.Floats(rawScaleGradient),
                TensorStorage.Floats(rawScaleGradient), TensorStorage.Floats(meanGradient), (float)priorPrecision, scale: 1, accumulate: false);
        double constant = result.KullbackLeibler - result.MeanDotGradient - result.RawScaleDotGradient;
        return _means.dot(meanGradient).add(_rawScales.dot(rawScaleGradient)).add(constant).MoveToOuterDisposeScope();
    }

    /// <summary>Raw outputs at freshly sampled weights: [B, O], or [S, B, O] in training mode with <see cref="TrainingSamples"/> S &gt; 1.</summary>
    /// <param name="input">A batch of inputs [B, ...] as the plain network takes them.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.shape;
        if (shape.Length < 2) throw new ArgumentException($"Expected a batch of inputs [B, ...]; got [{string.Join(", ", shape)}].", nameof(input));
        int samples = training ? _trainingSamples : 1;
        if (samples == 1) return Sample(input);
        var repeated = input.unsqueeze(0).expand([samples, .. shape]).reshape([samples * shape[0], .. shape[1..]]);
        var output = Sample(repeated);
        return output.view([samples, shape[0], .. output.shape[1..]]);
    }

    /// <summary>One draw per example: raw outputs [B, O] for inputs [B, ...], with gradients to μ and ρ.</summary>
    private protected abstract Tensor Sample(Tensor input);

    /// <summary>
    /// Makes <paramref name="network"/> Bayesian: its current weights become the means μ (e.g. a
    /// trained MAP network) and σ = <paramref name="initialSd"/> everywhere. Accepts a single-member
    /// <see cref="Mlp"/> and <see cref="LeNet5"/>; their dropout is dropped (the weight noise replaces it).
    /// The network itself is left untouched.
    /// </summary>
    /// <param name="network">The network to wrap.</param>
    /// <param name="initialSd">Initial σ₀ &gt; 0 of every weight (default <see cref="DefaultInitialSd"/>).</param>
    /// <exception cref="NotSupportedException">Any other module; the message names the layer types that cannot be made Bayesian.</exception>
    public static BayesianNetwork FromNetwork(nn.Module<Tensor, Tensor> network, double initialSd = DefaultInitialSd)
    {
        EnsureSupported(network);
        return network switch
        {
            Mlp mlp => new BayesianMlp(mlp, initialSd),
            LeNet5 lenet => new BayesianLeNet5(lenet, initialSd),
            _ => throw new InvalidOperationException("unreachable: EnsureSupported accepted an unknown network"),
        };
    }

    /// <summary>Throws unless <see cref="FromNetwork"/> accepts <paramref name="network"/> (cheap: no weights are copied).</summary>
    /// <exception cref="NotSupportedException">Not an Occam Mlp or LeNet5; the message names the offending layer types.</exception>
    /// <exception cref="ArgumentException">An Mlp stacking several members.</exception>
    public static void EnsureSupported(nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is Mlp { Members: not 1 } stacked)
            throw new ArgumentException($"Bayes by Backprop wraps a single network; this Mlp stacks {stacked.Members} members.", nameof(network));
        if (network is Mlp or LeNet5) return;
        var leaves = network.modules().Prepend(network).Where(m => !m.children().Any()).Select(m => m.GetType().Name).Distinct().ToList();
        var offending = leaves.Where(name => !ConvertibleLayers.Contains(name)).ToList();
        const string Advice = "Bayes by Backprop has Gaussian Linear layers (local reparameterisation) and Conv2d layers (Flipout), "
            + "and wraps Occam's Mlp (MlpSpec) and LeNet5 (LeNetSpec); build the network as one of those.";
        if (offending.Count > 0)
            throw new NotSupportedException($"Cannot make layers of type {string.Join(", ", offending)} Bayesian. {Advice}");
        throw new NotSupportedException($"Cannot make a {network.GetType().Name} Bayesian (its layers are {string.Join(", ", leaves)}). {Advice}");
    }

    /// <summary>The raw scale ρ = log(e^σ − 1) = softplus⁻¹(σ) giving standard deviation σ &gt; 0.</summary>
    public static double RawScale(double sd)
    {
        if (!(sd > 0) || !double.IsFinite(sd)) throw new ArgumentOutOfRangeException(nameof(sd), $"A standard deviation must be positive and finite; got {sd}.");
        if (sd < 1e-4) return Math.Log(sd) + sd / 2; // log(e^σ − 1) = log σ + σ/2 + O(σ²): avoids cancellation in e^σ − 1
        return sd > 30 ? sd : Math.Log(Math.Exp(sd) - 1);
    }
}
