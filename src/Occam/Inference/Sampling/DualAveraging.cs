namespace Occam.Inference.Sampling;

/// <summary>
/// Nesterov dual averaging of the log step size towards a target acceptance rate δ (Hoffman &amp; Gelman
/// 2014, Algorithm 5, with their constants γ = 0.05, t₀ = 10, κ = 0.75 and μ = log(10ε₀)), for one chain.
/// </summary>
public sealed class DualAveraging
{
    private const double Gamma = 0.05, T0 = 10, Kappa = 0.75;
    private readonly double _target;
    private double _mu, _hBar, _logAverage;
    private int _m;

    /// <summary>Starts at step size <paramref name="initial"/>, aiming at acceptance <paramref name="target"/>.</summary>
    public DualAveraging(double initial, double target)
    {
        _target = target;
        Restart(initial);
    }

    /// <summary>The step size to use next.</summary>
    public double Current { get; private set; }

    /// <summary>The averaged step size, to use after warm-up.</summary>
    public double Final => Math.Exp(_logAverage);

    /// <summary>Starts again from <paramref name="initial"/> (after the mass matrix changed).</summary>
    public void Restart(double initial)
    {
        _mu = Math.Log(10 * initial);
        _hBar = 0;
        _logAverage = 0;
        _m = 0;
        Current = initial;
    }

    /// <summary>Updates with the acceptance statistic of the last transition (NaN counts as 0).</summary>
    public void Update(double acceptance)
    {
        if (double.IsNaN(acceptance)) acceptance = 0;
        _m++;
        double w = 1.0 / (_m + T0);
        _hBar = (1 - w) * _hBar + w * (_target - acceptance);
        double logEpsilon = _mu - Math.Sqrt(_m) / Gamma * _hBar;
        double eta = Math.Pow(_m, -Kappa);
        _logAverage = eta * logEpsilon + (1 - eta) * _logAverage;
        Current = Math.Exp(logEpsilon);
    }
}
