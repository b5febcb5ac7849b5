using Occam.Core;
using Occam.Data;
using Occam.Geometry;
using Occam.Likelihoods;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Swag;

/// <summary>
/// The SGD rate of SWAG's collection phase. A rate given in <see cref="SwagCollectionOptions.SwagLearningRate"/>
/// is used as it is. Otherwise the default (<see cref="SwagCollectionOptions.DefaultRate"/>) is capped at 1/λ₁,
/// half of gradient descent's stability limit 2/λ₁, where λ₁ is the largest eigenvalue of the Hessian of the
/// training loss (the mean per-example loss SGD follows) at the pre-trained weights. Above 2/λ₁ the iterates
/// oscillate along the top eigenvector with growing amplitude and SWAG's moments describe a run-off, not the
/// posterior: a near-noiseless regression (a learned noise σ of 10⁻³ makes λ₁ ∝ 1/σ² large) needs a rate
/// hundreds of times smaller than one after which ordinary data are fine.
/// </summary>
internal static class CollectionRate
{
    /// <summary>Training rows (at most) in the batch whose Hessian is measured.</summary>
    public const int Rows = 1024;

    /// <summary>Lanczos steps (Hessian-vector products) spent on λ₁.</summary>
    public const int Steps = 20;

    /// <summary>Above this many weights λ₁ comes from power iteration, whose memory does not grow with the steps (Lanczos keeps a float64 basis of Steps × P).</summary>
    public const long LanczosLimit = 2_000_000;

    /// <summary>The rate of the collection phase for <paramref name="network"/> (M = <paramref name="members"/> stacked members) after pre-training.</summary>
    public static double Choose(SwagCollectionOptions options, TrainerOptions training, nn.Module<Tensor, Tensor> network, Likelihood likelihood,
        Dataset data, int members, long seed, Device device)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SwagLearningRate is { } given) return given;
        double rate = SwagCollectionOptions.DefaultRate(training);
        double top = TopCurvature(network, likelihood, data, members, seed, device);
        return top > 0 && double.IsFinite(top) ? Math.Min(rate, 1 / top) : rate;
    }

    /// <summary>
    /// λ₁: the largest eigenvalue of the Hessian of the mean per-example training loss on a seeded batch of up
    /// to <see cref="Rows"/> training rows, by <see cref="Steps"/> Lanczos steps (power iteration, the eigenvalue of
    /// largest magnitude, above <see cref="LanczosLimit"/> weights), with the network in evaluation mode.
    /// Stacked members see the same rows; their Hessian is block diagonal, so λ₁ is the largest over members,
    /// which is what one shared rate must respect.
    /// </summary>
    public static double TopCurvature(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, int members, long seed, Device device,
        long lanczosLimit = LanczosLimit)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var random = new Generator(unchecked((ulong)(seed ^ 0x5A6C_0111)));
        var rows = randperm(data.Count, generator: random).narrow(0, 0, Math.Min(data.Count, Rows));
        var x = data.Inputs.index_select(0, rows).to(device);
        var y = data.Targets.index_select(0, rows).to(device);
        if (members > 1)
        {
            x = x.unsqueeze(0).expand([members, .. x.shape]);
            y = y.unsqueeze(0).expand([members, .. y.shape]);
        }
        var batch = new Batch(x, y);
        var space = WeightSpace.Of(network);
        bool wasTraining = network.training;
        network.eval();
        try
        {
            var hessian = CurvatureOperator.FromProduct(space.Count,
                v => space.HessianVector(() => BatchLoss.MeanNegativeLogLikelihood(network, likelihood, batch, members), v).to(ScalarType.Float64, CPU),
                "Hessian of the mean training loss");
            if (space.Count > lanczosLimit)
            {
                using var dominant = PowerIteration.Run(hessian, Steps, 1e-3, random);
                return dominant.Value;
            }
            using var top = Lanczos.TopEigenpairs(hessian, 1, (int)Math.Min(space.Count, Steps), random);
            return top.ValuesArray()[0];
        }
        finally
        {
            network.train(wasTraining);
        }
    }
}
