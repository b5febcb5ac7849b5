using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>
/// Cholesky factorisation of a symmetric positive semi-definite float64 matrix with growing diagonal
/// jitter: the one place where GP code decides how much to perturb a matrix that rounding has made
/// (slightly) indefinite.
/// </summary>
public static class SafeCholesky
{
    /// <summary>
    /// Factorises A (+ jitter·I when needed). Only the lower triangle of A is read. Tries A itself,
    /// then the jitters of <paramref name="schedule"/> (relative to the mean diagonal, or to 1 when
    /// that is not positive); reports the jitter used. Does not dispose <paramref name="a"/>.
    /// </summary>
    /// <param name="a">A square float64 matrix [N, N]; gradients flow through the factor when it requires them.</param>
    /// <param name="schedule">The jitter schedule (default <see cref="JitterSchedule.Default"/>).</param>
    /// <returns>A factor the caller owns and disposes.</returns>
    /// <exception cref="CholeskyException">Every jitter failed; the message names the largest one tried.</exception>
    public static CholeskyFactor Factor(Tensor a, JitterSchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        schedule = (schedule ?? JitterSchedule.Default).Validate();
        if (a.dtype != ScalarType.Float64) throw new ArgumentException($"The matrix must be float64; got {a.dtype}.", nameof(a));
        if (a.dim() != 2 || a.size(0) != a.size(1)) throw new ArgumentException($"The matrix must be square [N, N]; got [{GpChecks.Shape(a)}].", nameof(a));
        long n = a.size(0);
        if (n == 0) throw new ArgumentException("The matrix is empty.", nameof(a));
        if (!GpChecks.AllFinite(a)) throw new CholeskyException($"Cholesky factorisation failed: the {n}×{n} matrix contains NaN or infinite values.", 0);

        using var scope = NewDisposeScope();
        var (lower, info) = linalg.cholesky_ex(a);
        if (info.item<int>() == 0) return new CholeskyFactor(lower.MoveToOuterDisposeScope(), 0, 1);

        double meanDiagonal;
        using (var d = a.detach().diagonal().mean()) meanDiagonal = d.item<double>();
        double scale = meanDiagonal > 0 ? meanDiagonal : 1.0;
        var identity = eye(n, dtype: ScalarType.Float64, device: a.device);
        int attempts = 1;
        double largest = 0;
        for (double relative = schedule.InitialRelative; relative <= schedule.MaxRelative * (1 + 1e-12); relative *= schedule.Growth)
        {
            double jitter = relative * scale;
            largest = jitter;
            attempts++;
            (lower, info) = linalg.cholesky_ex(a + jitter * identity);
            if (info.item<int>() == 0) return new CholeskyFactor(lower.MoveToOuterDisposeScope(), jitter, attempts);
        }
        throw new CholeskyException(string.Create(CultureInfo.InvariantCulture,
            $"Cholesky factorisation failed: the {n}×{n} matrix is not positive definite even with jitter {largest:g3} added to its diagonal (the largest tried: {schedule.MaxRelative:g3} × the mean diagonal {meanDiagonal:g3}). It is far from positive semi-definite; check the kernel and its hyperparameters."),
            largest);
    }
}
