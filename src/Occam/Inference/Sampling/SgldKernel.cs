using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// SGLD as a kernel, exactly Algorithm 1 of Welling &amp; Teh (2011) in the lecture's form: per step,
/// θ ← θ − (h/2)∇Û(θ) + ξ with ξ ~ N(0, hT·I) and ∇Û = −(N/n) Σᵢ ∇log p(yᵢ|xᵢ, θ) − ∇log p(θ) over the
/// mini-batch. The step size is given per example, ε = h·N, times the schedule's factor of the step. With
/// <c>explore</c> true at a step (cyclical SGLD's exploration stage) the noise is left out.
/// </summary>
public sealed class SgldKernel : IKernel<SamplerState>
{
    private readonly SamplerTarget _target;
    private readonly double _stepSize;
    private readonly double _temperature;
    private readonly Func<long, bool>? _explore;
    private long _n;
    private int _chains;

    /// <summary>Creates the kernel.</summary>
    /// <param name="target">The weights and likelihood parameters it moves.</param>
    /// <param name="stepSize">ε = h·N &gt; 0 at schedule factor 1.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="explore">Steps without noise (null: none).</param>
    public SgldKernel(SamplerTarget target, double stepSize, double temperature = 1.0, Func<long, bool>? explore = null)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        if (!(stepSize > 0) || !double.IsFinite(stepSize)) throw new ArgumentOutOfRangeException(nameof(stepSize), $"The step size must be positive; got {stepSize}.");
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature must be positive; got {temperature}.");
        _stepSize = stepSize;
        _temperature = temperature;
        _explore = explore;
    }

    /// <summary>For tests: a deliberately wrong update.</summary>
    internal SgldDefect Defect { get; init; }

    /// <inheritdoc />
    public SamplerState Init(RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _n = setup.TrainingSize;
        _chains = setup.Members;
        return new SamplerState(_target.Blocks, perBlockBuffers: false);
    }

    /// <inheritdoc />
    public (SamplerState State, StepInfo Info) Step(SamplerState state, Batch batch, StepContext context)
    {
        double epsilon = _stepSize * context.LearningRateFactor; // h·N at this step
        double scale = Defect == SgldDefect.NoBatchScaling ? (double)batch.Size(_chains) / _n : 1.0;
        var loss = _target.Gradient(batch, _chains, _n, scale);
        double drift = Defect == SgldDefect.MissingHalf ? epsilon : epsilon / 2; // × ∇Û/N
        double variance = (Defect == SgldDefect.HalfNoiseVariance ? epsilon / 2 : epsilon) * _temperature / _n; // hT
        bool noise = !(_explore?.Invoke(context.Step) ?? false);
        using (no_grad())
        {
            var xi = noise ? state.Noise.Draw(context.Random) : null;
            for (int i = 0; i < _target.Blocks.Count; i++)
            {
                var block = _target.Blocks[i];
                block.add_(block.grad!, alpha: -drift);
                if (xi is not null) block.add_(xi[i], alpha: Math.Sqrt(variance));
            }
        }
        state.Steps++;
        return (state, new StepInfo(loss));
    }
}
