using static TorchSharp.torch;

namespace Occam.Inference.Sampling;

/// <summary>
/// What HMC carries between iterations besides the position (which the potential holds): the gradient at
/// the position, U per chain, step sizes and their adaptation, the inverse mass matrix and its warm-up
/// estimate, and counters. Tensors are detached and owned by the state.
/// </summary>
public sealed class HmcState : IDisposable
{
    internal HmcState(int chains) => Chains = chains;

    /// <summary>K, the chains.</summary>
    public int Chains { get; }

    /// <summary>Iterations done (warm-up included).</summary>
    public int Iteration { get; internal set; }

    /// <summary>Untempered potential U = −log p(θ|D) + const per chain at the current position.</summary>
    public double[] Potential { get; internal set; } = [];

    /// <summary>The step size of each chain (the adapting one during warm-up, the final one after).</summary>
    public double[] StepSize { get; internal set; } = [];

    /// <summary>Transitions after warm-up, per chain.</summary>
    public long Transitions { get; internal set; }

    /// <summary>Sum over transitions after warm-up and over chains of min(1, e^(−ΔH)).</summary>
    public double AcceptanceSum { get; internal set; }

    /// <summary>Divergent trajectories after warm-up (ΔH &gt; 1000 or not finite), over all chains.</summary>
    public long Divergences { get; internal set; }

    /// <summary>Divergent trajectories during warm-up, over all chains.</summary>
    public long WarmUpDivergences { get; internal set; }

    /// <summary>Leapfrog steps taken (each moves all chains at once), warm-up included.</summary>
    public long LeapfrogSteps { get; internal set; }

    /// <summary>Potential gradient evaluations (each for all chains at once), warm-up and step-size search included.</summary>
    public long GradientEvaluations { get; internal set; }

    /// <summary>Leapfrog steps per trajectory after warm-up, summed over transitions (for the mean).</summary>
    public long SamplingLeapfrogSteps { get; internal set; }

    /// <summary>Mean acceptance statistic after warm-up.</summary>
    public double AcceptanceRate => Transitions == 0 ? double.NaN : AcceptanceSum / (Transitions * (double)Chains);

    /// <summary>log p(θ_k | D) up to a constant, per chain (−U).</summary>
    public double[] LogPosterior() => Potential.Select(u => -u).ToArray();

    internal bool Started { get; set; }
    internal Tensor[] Gradient { get; set; } = [];
    internal Tensor[] InverseMass { get; set; } = [];
    internal Tensor[] MassScale { get; set; } = []; // √M, to draw momenta
    internal Tensor[] WindowMean { get; set; } = [];
    internal Tensor[] WindowSquares { get; set; } = [];
    internal long WindowCount { get; set; }
    internal DualAveraging[] Adaptation { get; set; } = [];

    internal static void Replace(Tensor[] old, Tensor[] fresh)
    {
        for (int i = 0; i < old.Length; i++)
        {
            old[i].Dispose();
            old[i] = fresh[i].DetachFromDisposeScope();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in Gradient.Concat(InverseMass).Concat(MassScale).Concat(WindowMean).Concat(WindowSquares)) t.Dispose();
    }
}
