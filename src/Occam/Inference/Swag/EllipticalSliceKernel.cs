using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// Elliptical slice sampling (Murray, Adams &amp; MacKay 2010) over subspace coordinates as a kernel on
/// the runner: with prior N(0, σ²I) and log-likelihood L, each step draws ν from the prior and a slice
/// height log y = L(z) + log u, then proposes z cos φ + ν sin φ on the ellipse through z and ν, shrinking
/// the angle bracket towards φ = 0 until a proposal lies above the slice. Every step moves (there is no
/// rejection) and the chain leaves the posterior invariant. Each step's batch is the data the likelihood
/// is evaluated on (run it with the whole training set as one batch). Random numbers come from the
/// run's generator.
/// </summary>
public sealed class EllipticalSliceKernel : IKernel<SubspaceChain>
{
    private const int MaxShrinks = 200;
    private readonly SubspaceTarget _target;
    private readonly double _priorSd;

    /// <summary>Creates the kernel over <paramref name="target"/> with prior N(0, <paramref name="priorSd"/>² I).</summary>
    public EllipticalSliceKernel(SubspaceTarget target, double priorSd)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        if (!(priorSd > 0) || !double.IsFinite(priorSd)) throw new ArgumentOutOfRangeException(nameof(priorSd), $"The prior sd must be positive; got {priorSd}.");
        _priorSd = priorSd;
    }

    /// <summary>Starts at z = 0, the SWA mean.</summary>
    public SubspaceChain Init(RunSetup setup) => new(zeros(_target.Dimension, ScalarType.Float64));

    /// <inheritdoc />
    public (SubspaceChain State, StepInfo Info) Step(SubspaceChain state, Batch batch, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        var random = context.Random;
        double current = state.LogLikelihood ??= Evaluate(state, state.Position, batch);
        var nu = randn(new long[] { _target.Dimension }, ScalarType.Float64, generator: random).mul_(_priorSd);
        double slice = current + Math.Log(Uniform(random));
        double phi = 2 * Math.PI * Uniform(random), low = phi - 2 * Math.PI, high = phi;
        for (int shrink = 0; shrink < MaxShrinks; shrink++)
        {
            var proposal = state.Position * Math.Cos(phi) + nu * Math.Sin(phi);
            double value = Evaluate(state, proposal, batch);
            if (value > slice)
            {
                state.MoveTo(proposal, value);
                break;
            }
            if (phi < 0) low = phi;
            else high = phi;
            phi = low + (high - low) * Uniform(random);
        }
        return (state, new StepInfo(tensor(-state.LogLikelihood!.Value * _target.Temperature / batch.Size(1))));
    }

    private double Evaluate(SubspaceChain state, Tensor z, Batch batch)
    {
        state.Evaluations++;
        return _target.LogLikelihood(z, batch);
    }

    /// <summary>A uniform draw in (0, 1) from <paramref name="random"/>.</summary>
    internal static double Uniform(Generator random)
    {
        using var u = rand(1, ScalarType.Float64, generator: random);
        return Math.Max(u.item<double>(), double.Epsilon);
    }
}
