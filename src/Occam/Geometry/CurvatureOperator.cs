using Occam.Core;
using Occam.Data;
using Occam.Likelihoods;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Geometry;

/// <summary>
/// A symmetric linear operator on weight space, v ↦ A·v, known only through its products: the Hessian
/// or the generalised Gauss–Newton (GGN) of a network's summed negative log-likelihood over a data set or
/// a batch (built on <see cref="WeightSpace.HessianVector"/> and <see cref="WeightSpace.GgnVector"/>), or
/// a given matrix. Every product takes and returns float64 vectors [P]; a product that is not finite
/// throws <see cref="NonFiniteCurvatureException"/>. The operator holds references to the network,
/// likelihood and data it was made from (it never disposes them) and uses the network's weights as they
/// are when each product runs; dropout should be off (evaluation mode).
/// </summary>
public sealed class CurvatureOperator
{
    private readonly Func<Tensor, Tensor> _product;

    private CurvatureOperator(long size, string name, Func<Tensor, Tensor> product)
    {
        Size = size;
        Name = name;
        _product = product;
    }

    /// <summary>The dimension P.</summary>
    public long Size { get; }

    /// <summary>What the operator is, for reports ("GGN", "Hessian", "matrix", or a caller's name).</summary>
    public string Name { get; }

    /// <summary>Products computed so far (each costs a pass over the operator's data).</summary>
    public long Products { get; private set; }

    /// <summary>A·v for <paramref name="v"/> [P] (any floating dtype); returns a fresh float64 [P] the caller owns.</summary>
    /// <exception cref="ArgumentException"><paramref name="v"/> is not a vector of length P.</exception>
    /// <exception cref="NonFiniteCurvatureException">The product has NaN or infinite entries.</exception>
    public Tensor Multiply(Tensor v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.dim() != 1 || v.shape[0] != Size)
            throw new ArgumentException($"Expected a vector of length {Size}; got shape [{string.Join(", ", v.shape)}].", nameof(v));
        using var scope = NewDisposeScope();
        var result = _product(v.to_type(ScalarType.Float64).clone()).to_type(ScalarType.Float64).reshape(-1);
        if (result.shape[0] != Size)
            throw new InvalidOperationException($"The {Name} product returned {result.shape[0]} entries; expected {Size}.");
        if (!isfinite(result).all().item<bool>())
            throw new NonFiniteCurvatureException($"the {Name}-vector product is not finite (NaN or infinity): check that the weights, the data and the noise are finite");
        Products++;
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The operator as a dense float64 matrix [P, P], one product per column (for tests and small P).</summary>
    public Tensor ToDense()
    {
        using var scope = NewDisposeScope();
        var columns = new Tensor[Size];
        for (long i = 0; i < Size; i++)
        {
            using var unit = zeros(Size, ScalarType.Float64);
            unit[i] = 1.0;
            columns[i] = Multiply(unit);
        }
        return stack(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The operator of a symmetric matrix [P, P] (copied as float64).</summary>
    /// <exception cref="ArgumentException">Not square, empty, or not symmetric.</exception>
    /// <exception cref="NonFiniteCurvatureException">Non-finite entries.</exception>
    public static CurvatureOperator FromMatrix(Tensor matrix, string name = "matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2 || matrix.shape[0] != matrix.shape[1] || matrix.shape[0] < 1)
            throw new ArgumentException($"Expected a square matrix [P, P]; got [{string.Join(", ", matrix.shape)}].", nameof(matrix));
        var copy = matrix.detach().to_type(ScalarType.Float64).clone().DetachFromDisposeScope();
        if (!isfinite(copy).all().item<bool>())
        {
            copy.Dispose();
            throw new NonFiniteCurvatureException($"the {name} has NaN or infinite entries");
        }
        double scale = Math.Max(copy.abs().max().item<double>(), double.Epsilon);
        if ((copy - copy.T).abs().max().item<double>() > 1e-8 * scale)
        {
            copy.Dispose();
            throw new ArgumentException($"The {name} must be symmetric.", nameof(matrix));
        }
        return new CurvatureOperator(copy.shape[0], name, v => copy.matmul(v));
    }

    /// <summary>An operator from a product function (a fresh vector [P] per call; the function owns nothing it returns).</summary>
    /// <exception cref="ArgumentException">A size below 1.</exception>
    public static CurvatureOperator FromProduct(long size, Func<Tensor, Tensor> product, string name)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(name);
        if (size < 1) throw new ArgumentException($"The dimension must be at least 1; got {size}.", nameof(size));
        return new CurvatureOperator(size, name, product);
    }

    /// <summary>
    /// The Hessian of Σₙ −log p(yₙ | xₙ, θ) with respect to all of <paramref name="network"/>'s weights, over
    /// <paramref name="inputs"/> [N, ...] and <paramref name="targets"/> (float [N, T] or int64 labels [N]),
    /// in batches of <paramref name="batchSize"/> (one double-backward pass per batch). Pass one batch to get a
    /// batch's Hessian. The network must give outputs [N, O] (a single member).
    /// </summary>
    public static CurvatureOperator Hessian(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Tensor inputs, Tensor targets, int batchSize = 512)
    {
        var space = Check(network, likelihood, inputs, targets, batchSize);
        return new CurvatureOperator(space.Count, "Hessian", v => Sum(inputs, targets, batchSize, space, (x, y) =>
            space.HessianVector(() => likelihood.NegativeLogLikelihood(network.call(x), y).sum(), v)));
    }

    /// <summary>
    /// The GGN Σₙ Jₙᵀ Λₙ Jₙ of the summed negative log-likelihood (Λ: the likelihood's output Hessian, 1/σ² for a
    /// Gaussian), over the data in batches; see <see cref="Hessian(nn.Module{Tensor, Tensor}, Likelihood, Tensor, Tensor, int)"/>.
    /// </summary>
    public static CurvatureOperator Ggn(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Tensor inputs, Tensor targets, int batchSize = 512)
    {
        var space = Check(network, likelihood, inputs, targets, batchSize);
        return new CurvatureOperator(space.Count, "GGN", v => Sum(inputs, targets, batchSize, space, (x, _) => space.GgnVector(x, likelihood, v)));
    }

    /// <summary>The Hessian over a data set (inputs and targets as they are: standardise first where the model was fitted standardised).</summary>
    public static CurvatureOperator Hessian(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Hessian(network, likelihood, data.Inputs, data.Targets, batchSize);
    }

    /// <summary>The GGN over a data set (inputs and targets as they are).</summary>
    public static CurvatureOperator Ggn(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Ggn(network, likelihood, data.Inputs, data.Targets, batchSize);
    }

    private static WeightSpace Check(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Tensor inputs, Tensor targets, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (batchSize < 1) throw new ArgumentException($"The batch size must be at least 1; got {batchSize}.", nameof(batchSize));
        if (inputs.dim() < 2 || inputs.shape[0] < 1) throw new ArgumentException($"Expected inputs [N, ...] with N ≥ 1; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (targets.shape.Length == 0 || targets.shape[0] != inputs.shape[0])
            throw new ArgumentException($"Targets must have one row per input ({inputs.shape[0]}); got [{string.Join(", ", targets.shape)}].", nameof(targets));
        var space = WeightSpace.Of(network);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probe = network.call(inputs.narrow(0, 0, 1));
        if (probe.dim() != 2)
            throw new ArgumentException($"Curvature products need outputs [N, O] from one network; got [{string.Join(", ", probe.shape)}] for one input.", nameof(network));
        return space;
    }

    /// <summary>Σ over consecutive batches of <paramref name="batch"/>(x_b, y_b), in the weights' dtype, returned as float64.</summary>
    private static Tensor Sum(Tensor inputs, Tensor targets, int batchSize, WeightSpace space, Func<Tensor, Tensor, Tensor> batch)
    {
        using var scope = NewDisposeScope();
        var total = zeros(space.Count, ScalarType.Float64);
        long n = inputs.shape[0];
        for (long start = 0; start < n; start += batchSize)
        {
            using var inner = NewDisposeScope();
            long size = Math.Min(batchSize, n - start);
            total.add_(batch(inputs.narrow(0, start, size), targets.narrow(0, start, size)).to_type(ScalarType.Float64));
        }
        return total.MoveToOuterDisposeScope();
    }
}
