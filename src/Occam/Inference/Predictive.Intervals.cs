using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference;

public sealed partial class Predictive
{
    /// <summary>
    /// Regression: the predictive CDF F(y) = (1/S) Σₛ Φ((y − μₛ)/σₛ) at the targets, [N, T].
    /// A central interval of mass q covers y exactly when |F(y) − ½| ≤ q/2.
    /// </summary>
    public Tensor Cdf(Tensor targets)
    {
        CheckRegressionTargets(targets);
        using var scope = NewDisposeScope();
        var z = (targets.to(A.device).to_type(ScalarType.Float64).unsqueeze(0) - A) / MemberVariance().sqrt();
        var phi = 0.5 * (1 + special.erf(z / Math.Sqrt(2)));
        return phi.mean(new long[] { 0 }).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Regression: the p-quantile of the predictive mixture per input and target, [N, T], found by
    /// bisection on the exact mixture CDF (to about 1e-9 of its bracketing width). A central interval of
    /// mass q is [Quantile((1 − q)/2), Quantile((1 + q)/2)].
    /// </summary>
    public Tensor Quantile(double p)
    {
        RequireRegression();
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"A quantile's level must lie in (0, 1); got {p}.");
        using var scope = NewDisposeScope();
        var sd = MemberVariance().sqrt();
        var low = (A - 40 * sd).amin(new long[] { 0 });
        var high = (A + 40 * sd).amax(new long[] { 0 });
        for (int i = 0; i < 64; i++)
        {
            var middle = (low + high) / 2;
            var below = Cdf(middle) < p;
            low = where(below, middle, low);
            high = where(below, high, middle);
        }
        return ((low + high) / 2).MoveToOuterDisposeScope();
    }
}
