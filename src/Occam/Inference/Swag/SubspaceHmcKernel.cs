using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// Hamiltonian Monte Carlo over subspace coordinates as a kernel on the runner: potential
/// U(z) = −L(z) + |z|²/(2σ²) with full-batch gradients through the network, unit mass, a fixed number of
/// leapfrog steps and a Metropolis correction. During burn-in the step size follows a Robbins–Monro
/// update of log ε towards 80% acceptance; afterwards it is fixed at the geometric mean of the second
/// half of burn-in. Each step's batch is the data (the whole training set as one batch); random numbers
/// come from the run's generator. The subspace is low-dimensional (r ≤ 20), so a unit mass and no
/// trajectory-length adaptation suffice there.
/// </summary>
public sealed class SubspaceHmcKernel : IKernel<SubspaceChain>
{
    private const double TargetAcceptance = 0.8;
    private readonly SubspaceTarget _target;
    private readonly double _priorSd;
    private readonly int _leapfrogSteps;
    private readonly double _initialStepSize;
    private readonly long _burnIn;

    /// <summary>Creates the kernel.</summary>
    /// <param name="target">L(z).</param>
    /// <param name="priorSd">σ of the prior N(0, σ²I).</param>
    /// <param name="leapfrogSteps">Leapfrog steps per trajectory.</param>
    /// <param name="initialStepSize">ε at the start of burn-in.</param>
    /// <param name="burnIn">Steps that adapt ε (the run's burn-in).</param>
    public SubspaceHmcKernel(SubspaceTarget target, double priorSd, int leapfrogSteps, double initialStepSize, long burnIn)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        if (!(priorSd > 0)) throw new ArgumentOutOfRangeException(nameof(priorSd), $"The prior sd must be positive; got {priorSd}.");
        if (leapfrogSteps < 1) throw new ArgumentOutOfRangeException(nameof(leapfrogSteps), $"Need at least one leapfrog step; got {leapfrogSteps}.");
        if (!(initialStepSize > 0)) throw new ArgumentOutOfRangeException(nameof(initialStepSize), $"The step size must be positive; got {initialStepSize}.");
        _priorSd = priorSd;
        _leapfrogSteps = leapfrogSteps;
        _initialStepSize = initialStepSize;
        _burnIn = Math.Max(0, burnIn);
    }

    /// <summary>Starts at z = 0, the SWA mean.</summary>
    public SubspaceChain Init(RunSetup setup) => new(zeros(_target.Dimension, ScalarType.Float64)) { StepSize = _initialStepSize };

    /// <inheritdoc />
    public (SubspaceChain State, StepInfo Info) Step(SubspaceChain state, Batch batch, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        if (state.Gradient is null)
        {
            var (start, gradient) = Evaluate(state, state.Position, batch);
            state.MoveTo(state.Position, start, gradient);
        }
        double epsilon = state.StepSize;
        double precision = 1 / (_priorSd * _priorSd);
        var momentum = randn(new long[] { _target.Dimension }, ScalarType.Float64, generator: context.Random);
        double kinetic0 = 0.5 * momentum.square().sum().item<double>();
        double potential0 = -state.LogLikelihood!.Value + 0.5 * precision * state.Position.square().sum().item<double>();
        var z = state.Position.clone();
        var grad = state.Gradient!.clone();                         // ∇L
        var p = momentum + 0.5 * epsilon * (grad - precision * z); // −∇U = ∇L − z/σ²
        double value = 0;
        for (int i = 1; i <= _leapfrogSteps; i++)
        {
            z = z + epsilon * p;
            (value, grad) = Evaluate(state, z, batch);
            if (!double.IsFinite(value)) break;
            p = p + (i < _leapfrogSteps ? epsilon : 0.5 * epsilon) * (grad - precision * z);
        }
        double potential1 = -value + 0.5 * precision * z.square().sum().item<double>();
        double kinetic1 = 0.5 * p.square().sum().item<double>();
        double logAccept = potential0 + kinetic0 - potential1 - kinetic1;
        double acceptance = double.IsFinite(logAccept) ? Math.Min(1, Math.Exp(logAccept)) : 0;
        bool accept = EllipticalSliceKernel.Uniform(context.Random) < acceptance;
        if (accept) state.MoveTo(z, value, grad);
        Adapt(state, context.Step, acceptance, accept);
        return (state, new StepInfo(tensor(-state.LogLikelihood!.Value * _target.Temperature / batch.Size(1))));
    }

    private void Adapt(SubspaceChain state, long step, double acceptance, bool accepted)
    {
        if (step >= _burnIn)
        {
            state.Acceptance = (state.Acceptance.Accepted + (accepted ? 1 : 0), state.Acceptance.Proposed + 1);
            return;
        }
        double rate = 1 / Math.Pow(step + 1, 0.6);
        state.StepSize *= Math.Exp(rate * (acceptance - TargetAcceptance));
        if (step >= _burnIn / 2) state.LogStepAverage = (state.LogStepAverage.Sum + Math.Log(state.StepSize), state.LogStepAverage.Count + 1);
        if (step == _burnIn - 1 && state.LogStepAverage.Count > 0) state.StepSize = Math.Exp(state.LogStepAverage.Sum / state.LogStepAverage.Count);
    }

    private (double Value, Tensor Gradient) Evaluate(SubspaceChain state, Tensor z, Batch batch)
    {
        state.Evaluations++;
        return _target.LogLikelihoodAndGradient(z, batch);
    }
}
