using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// Preconditioned SGLD (Li et al. 2016, Algorithm 1) as a kernel: V ← αV + (1 − α) g⊙g with g = ∇Û/N the
/// per-example gradient (V starts at the first step's g⊙g instead of 0, which would make the first steps
/// huge), G = 1/(λ + √V), and θ ← θ − (h/2) G ∇Û + ξ, ξ ~ N(0, hT·G). The correction Γ(θ) = Σⱼ ∂G/∂θⱼ is
/// dropped, as in the paper's experiments (its bias vanishes as α → 1). h = ε/N as in <see cref="SgldKernel"/>.
/// </summary>
public sealed class PreconditionedSgldKernel : IKernel<SamplerState>
{
    private readonly SamplerTarget _target;
    private readonly double _stepSize;
    private readonly double _temperature;
    private readonly double _decay;
    private readonly double _floor;
    private long _n;
    private int _chains;

    /// <summary>Creates the kernel.</summary>
    /// <param name="target">The weights and likelihood parameters it moves.</param>
    /// <param name="stepSize">ε = h·N &gt; 0 at schedule factor 1.</param>
    /// <param name="decay">RMSprop's α in [0, 1).</param>
    /// <param name="floor">λ &gt; 0.</param>
    /// <param name="temperature">T &gt; 0.</param>
    public PreconditionedSgldKernel(SamplerTarget target, double stepSize, double decay, double floor, double temperature = 1.0)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentOutOfRangeException(nameof(stepSize), $"The step size must be positive; got {stepSize}.");
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), $"The decay must lie in [0, 1); got {decay}.");
        if (!(floor > 0)) throw new ArgumentOutOfRangeException(nameof(floor), $"The floor must be positive; got {floor}.");
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature must be positive; got {temperature}.");
        _stepSize = stepSize;
        _decay = decay;
        _floor = floor;
        _temperature = temperature;
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
        double epsilon = _stepSize * context.LearningRateFactor;
        var loss = _target.Gradient(batch, _chains, _n);
        double sd = Math.Sqrt(epsilon * _temperature / _n);
        using (no_grad())
        {
            var xi = state.Noise.Draw(context.Random);
            for (int i = 0; i < _target.Blocks.Count; i++)
            {
                var block = _target.Blocks[i];
                var g = block.grad!;
                var v = state.Buffers[i];
                if (state.Steps == 0) v.copy_(g).mul_(g);
                else v.mul_(_decay).addcmul_(g, g, value: 1 - _decay);
                var preconditioner = v.sqrt().add_(_floor).reciprocal_();
                block.addcmul_(preconditioner, g, value: -epsilon / 2);
                block.addcmul_(preconditioner.sqrt_(), xi[i], value: sd);
            }
        }
        state.Steps++;
        return (state, new StepInfo(loss));
    }
}
