using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// SGHMC with friction (Chen et al. 2014, eq. 15) as a kernel, in the SGD-with-momentum form:
/// v ← μv − ℓ·∇Û/N + N(0, 2(1 − μ − β̂)ℓT/N), θ ← θ + v, with ℓ the learning rate times the schedule's
/// factor. η = ℓ/N, α = 1 − μ and β̂ are the paper's; with M = I, h = √η, C = α/h and B̂ = β̂/h. β̂ = ½ηV̂ (V̂ the
/// gradient noise's variance) is proportional to η, so it is given at factor 1 and moves with the schedule. With
/// <c>explore</c> true at a step (cyclical SGHMC's exploration stage) the noise is left out: SGD with momentum.
/// </summary>
public sealed class SghmcKernel : IKernel<SamplerState>
{
    private readonly SamplerTarget _target;
    private readonly double _learningRate;
    private readonly double _momentum;
    private readonly double _noiseEstimate;
    private readonly double _temperature;
    private readonly Func<long, bool>? _explore;
    private long _n;
    private int _chains;

    /// <summary>Creates the kernel.</summary>
    /// <param name="target">The weights and likelihood parameters it moves.</param>
    /// <param name="learningRate">ℓ &gt; 0 at schedule factor 1.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <param name="noiseEstimate">β̂ in [0, 1 − μ).</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="explore">Steps without noise (null: none).</param>
    public SghmcKernel(SamplerTarget target, double learningRate, double momentum, double noiseEstimate = 0, double temperature = 1.0, Func<long, bool>? explore = null)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        SghmcParameters.Validate(learningRate, momentum, noiseEstimate);
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature must be positive; got {temperature}.");
        _learningRate = learningRate;
        _momentum = momentum;
        _noiseEstimate = noiseEstimate;
        _temperature = temperature;
        _explore = explore;
    }

    /// <inheritdoc />
    public SamplerState Init(RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _n = setup.TrainingSize;
        _chains = setup.Members;
        return new SamplerState(_target.Blocks, perBlockBuffers: true);
    }

    /// <inheritdoc />
    public (SamplerState State, StepInfo Info) Step(SamplerState state, Batch batch, StepContext context)
    {
        double lr = _learningRate * context.LearningRateFactor;
        var loss = _target.Gradient(batch, _chains, _n);
        bool noise = !(_explore?.Invoke(context.Step) ?? false);
        double beta = _noiseEstimate * context.LearningRateFactor; // β̂ = ½ηV̂ moves with η
        double sd = Math.Sqrt(2 * Math.Max(0, 1 - _momentum - beta) * lr * _temperature / _n);
        using (no_grad())
        {
            var xi = noise ? state.Noise.Draw(context.Random) : null;
            for (int i = 0; i < _target.Blocks.Count; i++)
            {
                var block = _target.Blocks[i];
                var v = state.Buffers[i];
                v.mul_(_momentum).add_(block.grad!, alpha: -lr);
                if (xi is not null) v.add_(xi[i], alpha: sd);
                block.add_(v);
            }
        }
        state.Steps++;
        return (state, new StepInfo(loss));
    }
}
