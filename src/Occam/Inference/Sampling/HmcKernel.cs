using Occam.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// Hamiltonian Monte Carlo as a kernel: each step is one transition of every chain, a leapfrog trajectory of
/// L = ⌈τ/ε⌉ steps (capped) under the tempered potential U/T with momenta p ~ N(0, M), then a Metropolis
/// accept or reject per chain on ΔH. During warm-up, dual averaging adapts each chain's step size and Stan's
/// windows estimate a diagonal M⁻¹ from each chain's draws; the step size search of Hoffman &amp; Gelman
/// (2014, Algorithm 4) starts it and restarts it after each mass update. A trajectory whose ΔH exceeds 1000
/// or is not finite is divergent and rejected. With a <see cref="NetworkPotential"/> every step's batch is
/// the data (run it on all the data in one batch).
/// </summary>
public sealed class HmcKernel : IKernel<HmcState>
{
    private const double DivergenceThreshold = 1000;
    private readonly IPotential _potential;
    private readonly HmcSettings _settings;
    private readonly WarmUpWindows _windows;
    private readonly int _chains;

    /// <summary>Creates the kernel over <paramref name="potential"/>.</summary>
    /// <exception cref="ArgumentException">K &gt; 1 chains with a block whose first dimension is not K.</exception>
    public HmcKernel(IPotential potential, HmcSettings settings)
    {
        _potential = potential ?? throw new ArgumentNullException(nameof(potential));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _chains = potential.Chains;
        if (_chains > 1 && potential.Position.Any(b => b.dim() == 0 || b.shape[0] != _chains))
            throw new ArgumentException($"With {_chains} chains every position block must have a leading dimension of {_chains}.", nameof(potential));
        _windows = new WarmUpWindows(settings.Mass == MassMatrix.Diagonal ? settings.WarmUp : 0);
    }

    /// <inheritdoc />
    public HmcState Init(RunSetup setup) => new(_chains);

    /// <inheritdoc />
    public (HmcState State, StepInfo Info) Step(HmcState state, Batch batch, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        if (_potential is NetworkPotential network) network.Data = batch;
        if (!state.Started) Start(state, context.Random);
        int t = state.Iteration;
        bool warm = t < _settings.WarmUp;
        var epsilon = warm ? state.Adaptation.Select(a => a.Current).ToArray() : state.StepSize;
        var acceptance = Transition(state, epsilon, context.Random, warm);
        if (warm) Adapt(state, t, acceptance, context.Random);
        state.Iteration++;
        return (state, new StepInfo(tensor(state.Potential.Average() / batch.Size(1))));
    }

    private void Start(HmcState state, Generator random)
    {
        using var scope = NewDisposeScope();
        var blocks = _potential.Position;
        state.Potential = Values(_potential.Evaluate(true)!);
        state.GradientEvaluations++;
        state.Gradient = blocks.Select(b => b.grad!.detach().clone().DetachFromDisposeScope()).ToArray();
        state.InverseMass = blocks.Select(b => ones_like(b).detach().DetachFromDisposeScope()).ToArray();
        state.MassScale = blocks.Select(b => ones_like(b).detach().DetachFromDisposeScope()).ToArray();
        if (_settings.Mass == MassMatrix.Diagonal)
        {
            state.WindowMean = blocks.Select(b => zeros(b.shape, ScalarType.Float64, b.device).DetachFromDisposeScope()).ToArray();
            state.WindowSquares = blocks.Select(b => zeros(b.shape, ScalarType.Float64, b.device).DetachFromDisposeScope()).ToArray();
        }
        var initial = _settings.StepSize is { } given ? Enumerable.Repeat(given, _chains).ToArray() : FindStepSize(state, Enumerable.Repeat(1.0, _chains).ToArray(), random);
        state.Adaptation = initial.Select(e => new DualAveraging(e, _settings.TargetAcceptance)).ToArray();
        state.StepSize = initial;
        state.Started = true;
    }

    /// <summary>One trajectory per chain and the Metropolis correction; returns each chain's acceptance statistic.</summary>
    private double[] Transition(HmcState state, double[] epsilon, Generator random, bool warm)
    {
        using var scope = NewDisposeScope();
        var blocks = _potential.Position;
        double minimum = epsilon.Min();
        int steps = (int)Math.Clamp(Math.Ceiling(_settings.TrajectoryLength / minimum), 1, _settings.MaxLeapfrogSteps);
        var start = blocks.Select(b => b.detach().clone()).ToArray();
        var momentum = blocks.Select((b, i) => randn(b.shape, b.dtype, b.device, generator: random).mul_(state.MassScale[i])).ToArray();
        var kinetic0 = Kinetic(momentum, state.InverseMass);
        var (half, full, move) = Steps(blocks, epsilon, state.InverseMass);
        double[] potential1;
        using (no_grad())
            for (int i = 0; i < blocks.Count; i++) momentum[i].addcmul_(state.Gradient[i], half[i], value: -1);
        Tensor? value = null;
        for (int l = 1; l <= steps; l++)
        {
            using var inner = NewDisposeScope();
            using (no_grad())
                for (int i = 0; i < blocks.Count; i++) blocks[i].addcmul_(momentum[i], move[i], value: 1);
            value = _potential.Evaluate(l == steps);
            using (no_grad())
                for (int i = 0; i < blocks.Count; i++) momentum[i].addcmul_(blocks[i].grad!, l == steps ? half[i] : full[i], value: -1);
            value?.MoveToOuterDisposeScope();
        }
        potential1 = Values(value!);
        var kinetic1 = Kinetic(momentum, state.InverseMass);
        state.GradientEvaluations += steps;
        state.LeapfrogSteps += steps;

        var u = rand(new long[] { _chains }, ScalarType.Float64, generator: random).data<double>().ToArray();
        var acceptance = new double[_chains];
        var accepted = new bool[_chains];
        for (int k = 0; k < _chains; k++)
        {
            double dH = (potential1[k] - state.Potential[k]) / _settings.Temperature + kinetic1[k] - kinetic0[k];
            bool divergent = !(dH <= DivergenceThreshold) || !double.IsFinite(dH);
            acceptance[k] = divergent ? 0 : Math.Min(1, Math.Exp(-dH));
            accepted[k] = !divergent && u[k] < acceptance[k];
            if (divergent && warm) state.WarmUpDivergences++;
            else if (divergent) state.Divergences++;
            if (accepted[k]) state.Potential[k] = potential1[k];
        }
        Keep(state, blocks, start, accepted);
        if (!warm)
        {
            state.Transitions++;
            state.AcceptanceSum += acceptance.Sum();
            state.SamplingLeapfrogSteps += steps;
        }
        return acceptance;
    }

    /// <summary>Keeps the proposal of accepted chains and restores the start (and its gradient) of the others.</summary>
    private void Keep(HmcState state, IReadOnlyList<Tensor> blocks, Tensor[] start, bool[] accepted)
    {
        using var noGrad = no_grad();
        if (accepted.All(a => a))
        {
            HmcState.Replace(state.Gradient, blocks.Select(b => b.grad!.detach().clone()).ToArray());
            return;
        }
        if (accepted.All(a => !a))
        {
            for (int i = 0; i < blocks.Count; i++) blocks[i].copy_(start[i]);
            return;
        }
        var mask = tensor(accepted, device: blocks[0].device);
        var fresh = new Tensor[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
        {
            var m = mask.view(ChainShape(blocks[i]));
            blocks[i].copy_(where(m, blocks[i], start[i]));
            fresh[i] = where(m, blocks[i].grad!, state.Gradient[i]);
        }
        HmcState.Replace(state.Gradient, fresh);
    }

    private void Adapt(HmcState state, int t, double[] acceptance, Generator random)
    {
        for (int k = 0; k < _chains; k++) state.Adaptation[k].Update(acceptance[k]);
        if (_windows.InWindow(t)) Accumulate(state);
        if (_windows.EndsWindow(t))
        {
            UpdateMass(state);
            var restart = FindStepSize(state, state.Adaptation.Select(a => a.Current).ToArray(), random);
            for (int k = 0; k < _chains; k++) state.Adaptation[k].Restart(restart[k]);
        }
        if (t == _settings.WarmUp - 1) state.StepSize = state.Adaptation.Select(a => a.Final).ToArray();
        else state.StepSize = state.Adaptation.Select(a => a.Current).ToArray();
    }

    /// <summary>Welford's update of the window's mean and sum of squared deviations with the current position.</summary>
    private void Accumulate(HmcState state)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        state.WindowCount++;
        var blocks = _potential.Position;
        for (int i = 0; i < blocks.Count; i++)
        {
            var x = blocks[i].detach().to_type(ScalarType.Float64);
            var delta = x - state.WindowMean[i];
            state.WindowMean[i].add_(delta, alpha: 1.0 / state.WindowCount);
            state.WindowSquares[i].add_(delta * (x - state.WindowMean[i]));
        }
    }

    /// <summary>M⁻¹ ← the window's variances, shrunk towards 10⁻³ as Stan does: (n/(n+5))·var + 10⁻³·5/(n+5).</summary>
    private static void UpdateMass(HmcState state)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long n = state.WindowCount;
        if (n < 2) return;
        for (int i = 0; i < state.InverseMass.Length; i++)
        {
            var variance = state.WindowSquares[i] / (n - 1.0);
            var shrunk = (variance * (n / (n + 5.0)) + 1e-3 * (5.0 / (n + 5.0))).to_type(state.InverseMass[i].dtype);
            state.InverseMass[i].copy_(shrunk);
            state.MassScale[i].copy_(shrunk.rsqrt());
            state.WindowMean[i].zero_();
            state.WindowSquares[i].zero_();
        }
        state.WindowCount = 0;
    }

    /// <summary>
    /// Hoffman &amp; Gelman's search: from ε, double (or halve) each chain's step until the acceptance of one
    /// leapfrog step crosses ½. The position and gradient are left as they were.
    /// </summary>
    private double[] FindStepSize(HmcState state, double[] epsilon, Generator random)
    {
        using var scope = NewDisposeScope();
        var blocks = _potential.Position;
        var start = blocks.Select(b => b.detach().clone()).ToArray();
        var momentum = blocks.Select((b, i) => randn(b.shape, b.dtype, b.device, generator: random).mul_(state.MassScale[i])).ToArray();
        var kinetic0 = Kinetic(momentum, state.InverseMass);
        double[] Acceptance(double[] eps)
        {
            using var inner = NewDisposeScope();
            var (half, _, move) = Steps(blocks, eps, state.InverseMass);
            var p = momentum.Select(m => m.clone()).ToArray();
            using (no_grad())
                for (int i = 0; i < blocks.Count; i++)
                {
                    p[i].addcmul_(state.Gradient[i], half[i], value: -1);
                    blocks[i].addcmul_(p[i], move[i], value: 1);
                }
            var u = Values(_potential.Evaluate(true)!);
            state.GradientEvaluations++;
            using (no_grad())
                for (int i = 0; i < blocks.Count; i++)
                {
                    p[i].addcmul_(blocks[i].grad!, half[i], value: -1);
                    blocks[i].copy_(start[i]);
                }
            var k1 = Kinetic(p, state.InverseMass);
            return Enumerable.Range(0, _chains).Select(k =>
            {
                double dH = (u[k] - state.Potential[k]) / _settings.Temperature + k1[k] - kinetic0[k];
                return double.IsFinite(dH) ? Math.Exp(-dH) : 0;
            }).ToArray();
        }
        var eps = (double[])epsilon.Clone();
        var a = Acceptance(eps);
        var direction = a.Select(x => x > 0.5 ? 1 : -1).ToArray();
        var active = Enumerable.Repeat(true, _chains).ToArray();
        for (int iteration = 0; iteration < 60 && active.Any(x => x); iteration++)
        {
            for (int k = 0; k < _chains; k++)
            {
                if (!active[k]) continue;
                if (Math.Pow(a[k], direction[k]) > Math.Pow(2, -direction[k]) && eps[k] is > 1e-12 and < 1e6) eps[k] *= Math.Pow(2, direction[k]);
                else active[k] = false;
            }
            if (active.Any(x => x)) a = Acceptance(eps);
        }
        return eps;
    }

    /// <summary>Per block: the half step ε/(2T), the full step ε/T (for momenta) and ε·M⁻¹ (for positions), each chain its own ε.</summary>
    private (Tensor[] Half, Tensor[] Full, Tensor[] Move) Steps(IReadOnlyList<Tensor> blocks, double[] epsilon, Tensor[] inverseMass)
    {
        var eps = tensor(epsilon, dtype: blocks[0].dtype, device: blocks[0].device);
        var half = blocks.Select(b => (eps / (2 * _settings.Temperature)).view(ChainShape(b))).ToArray();
        var full = blocks.Select(b => (eps / _settings.Temperature).view(ChainShape(b))).ToArray();
        var move = blocks.Select((b, i) => eps.view(ChainShape(b)) * inverseMass[i]).ToArray();
        return (half, full, move);
    }

    /// <summary>½ pᵀM⁻¹p per chain.</summary>
    private double[] Kinetic(Tensor[] momentum, Tensor[] inverseMass)
    {
        using var scope = NewDisposeScope();
        var total = zeros(_chains, ScalarType.Float64, momentum[0].device);
        for (int i = 0; i < momentum.Length; i++)
            total.add_((momentum[i].square() * inverseMass[i]).to_type(ScalarType.Float64).reshape(_chains, -1).sum(1));
        return total.mul_(0.5).cpu().data<double>().ToArray();
    }

    private long[] ChainShape(Tensor block) => block.dim() == 0 ? [] : [_chains, .. Enumerable.Repeat(1L, (int)block.dim() - 1)];

    private static double[] Values(Tensor value)
    {
        using (value) return value.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }
}
