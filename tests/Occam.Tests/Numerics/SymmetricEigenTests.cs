using Occam.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Numerics;

public sealed class SymmetricEigenTests
{
    /// <summary>
    /// The curvature of a 200-weight subnetwork recorded from a UCI energy fit (prior precision 0.1, 40 epochs):
    /// 190 weights of dead units with rows exactly zero, and a rank-one block of ten weights that one training
    /// row reaches. LAPACK's eigh fails to converge on exactly this matrix with one torch thread.
    /// </summary>
    private static Tensor RecordedSubnetworkCurvature()
    {
        double[] block =
        [
            6.766469482499815e-07, -7.754125022074732e-07, -5.611394726656727e-07, -4.6596267111453926e-07, 4.783489089277282e-07, 6.712142521791975e-07, 4.903731678496115e-07, -7.011674938439683e-07, -5.032608214605716e-07, -5.4132460718392394e-06,
            -7.754125022074732e-07, 8.88594229309092e-07, 6.430452117456298e-07, 5.339761059985904e-07, -5.481702487486473e-07, -7.691868404435809e-07, -5.619496050712769e-07, 8.035121368266118e-07, 5.767183779425977e-07, 6.203380962688243e-06,
            -5.611394726656727e-07, 6.430452117456298e-07, 4.653497569506726e-07, 3.864201971737202e-07, -3.966920303355437e-07, -5.566341769736027e-07, -4.066636734023632e-07, 5.814741825815872e-07, 4.1735131617315346e-07, 4.489174443733646e-06,
            -4.6596267111453926e-07, 5.339761059985904e-07, 3.864201971737202e-07, 3.208781436114805e-07, -3.2940772598522017e-07, -4.622215499239246e-07, -3.376880499672552e-07, 4.828483497476554e-07, 3.465629276888649e-07, 3.727750026882859e-06,
            4.783489089277282e-07, -5.481702487486473e-07, -3.966920303355437e-07, -3.2940772598522017e-07, 3.381640567567956e-07, 4.745083117541071e-07, 3.466644784566597e-07, -4.956834231961693e-07, -3.557752563665417e-07, -3.826841293630423e-06,
            6.712142521791975e-07, -7.691868404435809e-07, -5.566341769736027e-07, -4.622215499239246e-07, 4.745083117541071e-07, 6.658252118540986e-07, 4.864360221290553e-07, -6.955378921702504e-07, -4.992202207176888e-07, -5.3697840485256165e-06,
            4.903731678496115e-07, -5.619496050712769e-07, -4.066636734023632e-07, -3.376880499672552e-07, 3.466644784566597e-07, 4.864360221290553e-07, 3.553785745680216e-07, -5.081434437670396e-07, -3.647184030342032e-07, -3.923036274500191e-06,
            -7.011674938439683e-07, 8.035121368266118e-07, 5.814741825815872e-07, 4.828483497476554e-07, -4.956834231961693e-07, -6.955378921702504e-07, -5.081434437670396e-07, 7.265765589181683e-07, 5.214981229073601e-07, 5.609412710327888e-06,
            -5.032608214605716e-07, 5.767183779425977e-07, 4.1735131617315346e-07, 3.465629276888649e-07, -3.557752563665417e-07, -4.992202207176888e-07, -3.647184030342032e-07, 5.214981229073601e-07, 3.743036529613164e-07, 4.026138867629925e-06,
            -5.4132460718392394e-06, 6.203380962688243e-06, 4.489174443733646e-06, 3.727750026882859e-06, -3.826841293630423e-06, -5.3697840485256165e-06, -3.923036274500191e-06, 5.609412710327888e-06, 4.026138867629925e-06, 4.3306532461429015e-05
        ];
        var rows = tensor(Enumerable.Range(0, 10).Select(i => (long)(13 + 20 * i)).ToArray());
        var matrix = zeros(200, 200, dtype: ScalarType.Float64);
        matrix.index_put_(tensor(block).reshape(10, 10), rows.unsqueeze(1), rows.unsqueeze(0));
        return matrix;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e4)]
    public void MostlyZeroMatrix_ReconstructsWithOrthonormalVectors(double scale)
    {
        using var scope = NewDisposeScope();
        var matrix = RecordedSubnetworkCurvature() * scale;
        var (values, vectors) = SymmetricEigen.Decompose(matrix);
        Assert.Equal(new long[] { 200 }, values.shape);
        Assert.Equal(new long[] { 200, 200 }, vectors.shape);
        var rebuilt = vectors.matmul(diag(values)).matmul(vectors.T);
        Assert.True(rebuilt.allclose(matrix, rtol: 0, atol: 1e-16 * scale), "V diag(λ) Vᵀ differs from the matrix");
        Assert.True(vectors.T.matmul(vectors).allclose(eye(200, dtype: ScalarType.Float64), rtol: 0, atol: 1e-12), "V is not orthonormal");
        var sorted = values.sort().Values;
        Assert.True(sorted.allclose(linalg.eigvalsh(matrix), rtol: 0, atol: 1e-16 * scale), "eigenvalues differ from eigvalsh");
    }

    [Fact]
    public void ZeroAndFullMatrices_AreDecomposed()
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = SymmetricEigen.Decompose(zeros(4, 4, dtype: ScalarType.Float64));
        Assert.Equal(0.0, values.abs().max().item<double>());
        Assert.True(vectors.allclose(eye(4, dtype: ScalarType.Float64)));

        using var g = new Generator(3);
        var a = randn(5, 5, dtype: ScalarType.Float64, generator: g);
        var spd = a.matmul(a.T) + eye(5, dtype: ScalarType.Float64);
        (values, vectors) = SymmetricEigen.Decompose(spd);
        Assert.True(vectors.matmul(diag(values)).matmul(vectors.T).allclose(spd, rtol: 0, atol: 1e-10));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(zeros(2, 3, dtype: ScalarType.Float64)));
    }

    [Fact]
    public void WhereLapackFailsWithOneThread_TheDecompositionStillSucceeds()
    {
        using var scope = NewDisposeScope();
        var matrix = RecordedSubnetworkCurvature();
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var (values, vectors) = SymmetricEigen.Decompose(matrix);
            Assert.True(vectors.matmul(diag(values)).matmul(vectors.T).allclose(matrix, rtol: 0, atol: 1e-16));
            // Without the zero rows split off, plain eigh fails here; the rescaled retry must carry it.
            (values, vectors) = SymmetricEigen.Eigh(matrix);
            Assert.True(vectors.matmul(diag(values)).matmul(vectors.T).allclose(matrix, rtol: 0, atol: 1e-16));
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
