using static TorchSharp.torch;

namespace Occam.Tests.Inference.Laplace;

/// <summary>
/// Closed-form Bayesian linear regression with a bias: y = Φθ + ε, Φ = [X, 1], θ ~ N(0, δ⁻¹I),
/// ε ~ N(0, σ²I). The truth the Laplace tests compare against (float64 throughout).
/// </summary>
internal sealed class BayesianLinearRegression : IDisposable
{
    public BayesianLinearRegression(Tensor x, Tensor y, double prior, double noise)
    {
        Phi = cat(new[] { x.to_type(ScalarType.Float64), ones(x.shape[0], 1, ScalarType.Float64) }, 1).DetachFromDisposeScope();
        Y = y.to_type(ScalarType.Float64).reshape(-1).DetachFromDisposeScope();
        Prior = prior;
        Noise = noise;
        Precision = (Phi.t().matmul(Phi) / (noise * noise) + prior * eye(Phi.shape[1], dtype: ScalarType.Float64)).DetachFromDisposeScope();
        Covariance = linalg.inv(Precision).DetachFromDisposeScope();
        Mean = Covariance.matmul(Phi.t().matmul(Y)).div(noise * noise).DetachFromDisposeScope();
    }

    public Tensor Phi { get; }
    public Tensor Y { get; }
    public double Prior { get; }
    public double Noise { get; }
    public Tensor Precision { get; }
    public Tensor Covariance { get; }
    public Tensor Mean { get; }

    /// <summary>log N(y; 0, σ²I + ΦΦᵀ/δ).</summary>
    public double LogEvidence()
    {
        using var scope = NewDisposeScope();
        long n = Phi.shape[0];
        var k = Noise * Noise * eye(n, dtype: ScalarType.Float64) + Phi.matmul(Phi.t()) / Prior;
        var (_, logDet) = linalg.slogdet(k);
        var quad = Y.dot(linalg.solve(k, Y));
        return (-0.5 * (quad + logDet + n * Math.Log(2 * Math.PI))).item<double>();
    }

    /// <summary>Predictive variance of the function φ(x)ᵀΣφ(x) at new inputs [M, D].</summary>
    public Tensor FunctionVariance(Tensor x)
    {
        using var scope = NewDisposeScope();
        var phi = cat(new[] { x.to_type(ScalarType.Float64), ones(x.shape[0], 1, ScalarType.Float64) }, 1);
        return (phi.matmul(Covariance) * phi).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>The evidence-maximising prior precision by MacKay's fixed point δ = γ/‖m(δ)‖² with γ = Σ λᵢ/(λᵢ + δ), λ the eigenvalues of ΦᵀΦ/σ² (exact stationarity of the evidence).</summary>
    public static double OptimalPrior(Tensor x, Tensor y, double noise, double start = 1.0)
    {
        double delta = start;
        for (int i = 0; i < 500; i++)
        {
            using var blr = new BayesianLinearRegression(x, y, delta, noise);
            using var scope = NewDisposeScope();
            var lambda = linalg.eigvalsh(blr.Phi.t().matmul(blr.Phi) / (noise * noise));
            double gamma = (lambda / (lambda + delta)).sum().item<double>();
            double next = gamma / blr.Mean.square().sum().item<double>();
            if (Math.Abs(next - delta) < 1e-14 * delta) return next;
            delta = next;
        }
        return delta;
    }

    public void Dispose()
    {
        Phi.Dispose();
        Y.Dispose();
        Precision.Dispose();
        Covariance.Dispose();
        Mean.Dispose();
    }
}
