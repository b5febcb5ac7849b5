namespace Occam.Inference.Sampling;

/// <summary>Sums a sampler's counters over the runs of its chain groups and reports them by name.</summary>
internal sealed class SamplerStatistics
{
    private readonly List<HmcState> _hmc = [];
    private long _steps;
    private long? _divergences;

    /// <summary>Adds a stochastic-gradient run: its steps and the divergent chain steps its guard caught.</summary>
    public void Add((long Steps, long Divergences) run)
    {
        _steps += run.Steps;
        _divergences = (_divergences ?? 0) + run.Divergences;
    }

    public void Add(HmcState state)
    {
        _steps += state.Iteration;
        _hmc.Add(state);
    }

    /// <summary>The statistics (divergences when a stochastic-gradient or HMC run counted them, HMC's others only when it ran), as snapshots taken now.</summary>
    public Dictionary<string, double> Report()
    {
        var report = new Dictionary<string, double>(StringComparer.Ordinal) { ["steps"] = _steps };
        if (_divergences is { } divergences) report["divergences"] = divergences;
        if (_hmc.Count == 0) return report;
        long transitions = _hmc.Sum(s => s.Transitions * s.Chains);
        report["acceptance_rate"] = _hmc.Sum(s => s.AcceptanceSum) / Math.Max(1, transitions);
        report["divergences"] = _hmc.Sum(s => s.Divergences);
        report["warm_up_divergences"] = _hmc.Sum(s => s.WarmUpDivergences);
        report["step_size"] = _hmc.SelectMany(s => s.StepSize).Average();
        report["leapfrog_steps"] = _hmc.Sum(s => (double)s.SamplingLeapfrogSteps) / Math.Max(1, _hmc.Sum(s => s.Transitions));
        report["gradient_evaluations"] = _hmc.Sum(s => s.GradientEvaluations);
        return report;
    }
}
