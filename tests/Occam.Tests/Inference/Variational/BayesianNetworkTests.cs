using Occam.Core;
using Occam.Inference.Variational;
using Occam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference.Variational;

public sealed class BayesianNetworkTests
{
    /// <summary>
    /// The fused CPU KL (a surrogate with constant gradients) against libtorch autograd: value and both
    /// gradients, over raw scales from deep in the softplus tail (σ ≈ 6e-6) to its linear part.
    /// </summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(30.0)]
    public void KullbackLeibler_FusedPath_MatchesAutograd(double precision)
    {
        using var scope = NewDisposeScope();
        using var network = new BayesianMlp(new Mlp(13, [50], 1, seed: 3)); // P = 751: vector body and tail
        var g = new Generator(5);
        using (no_grad())
        {
            network.Means.copy_(randn(network.ParameterCount, generator: g));
            network.RawScales.copy_(rand(network.ParameterCount, generator: g) * 37 - 12); // ρ in [−12, 25]
        }
        var fused = network.KullbackLeibler(precision);
        fused.backward();
        var (fusedMean, fusedRaw) = (network.Means.grad!.clone(), network.RawScales.grad!.clone());
        network.zero_grad();
        var reference = network.AutogradKullbackLeibler(precision);
        reference.backward();
        double value = fused.item<float>(), expected = reference.item<float>();
        Assert.True(Math.Abs(value - expected) <= 1e-5 * Math.Abs(expected), $"KL {value} vs autograd {expected}");
        double Gap(Tensor a, Tensor b) => ((a - b).abs() / (b.abs() + 1e-3)).max().item<float>();
        Assert.True(Gap(fusedMean, network.Means.grad!) < 1e-5, $"∂μ off by {Gap(fusedMean, network.Means.grad!)}");
        Assert.True(Gap(fusedRaw, network.RawScales.grad!) < 1e-4, $"∂ρ off by {Gap(fusedRaw, network.RawScales.grad!)}");
    }

    /// <summary>Adding c·∇KL straight into existing gradients equals backpropagating c·KL on top of them.</summary>
    [Fact]
    public void AddKullbackLeiblerGradient_EqualsBackpropagatingTheScaledKl()
    {
        using var scope = NewDisposeScope();
        using var network = new BayesianMlp(new Mlp(13, [50], 1, seed: 3));
        var g = new Generator(6);
        using (no_grad())
        {
            network.Means.copy_(randn(network.ParameterCount, generator: g));
            network.RawScales.copy_(rand(network.ParameterCount, generator: g) * 10 - 8);
        }
        const double precision = 3.0, scale = 1.0 / 455;
        var x = randn(new long[] { 32, 13 }, generator: g);
        void DataBackward() { network.zero_grad(); network.forward(x).square().mean().backward(); }
        using var seed1 = new RandomSeed(9);
        DataBackward();
        var term = network.AddKullbackLeiblerGradient(precision, scale);
        var (mean, raw) = (network.Means.grad!.clone(), network.RawScales.grad!.clone());
        using var seed2 = new RandomSeed(9);
        DataBackward();
        var expected = network.AutogradKullbackLeibler(precision).mul(scale);
        expected.backward();
        Assert.Equal(expected.item<float>(), term.item<float>(), 1e-5 * Math.Abs(expected.item<float>()));
        double Gap(Tensor a, Tensor b) => ((a - b).abs() / (b.abs() + 1e-3)).max().item<float>();
        Assert.True(Gap(mean, network.Means.grad!) < 1e-5, $"∂μ off by {Gap(mean, network.Means.grad!)}");
        Assert.True(Gap(raw, network.RawScales.grad!) < 1e-4, $"∂ρ off by {Gap(raw, network.RawScales.grad!)}");
    }

    [Fact]
    public void KullbackLeibler_EqualsHandValueAndMonteCarloEstimate()
    {
        using var scope = NewDisposeScope();
        const double precision = 2.0;
        double[] mu = [0.5, -1.0], sd = [0.3, 2.0];
        using var network = new BayesianMlp(new Mlp(1, [], 1)); // P = 2: one weight, one bias
        using (no_grad())
        {
            network.Means.copy_(tensor(mu.Select(v => (float)v).ToArray()));
            network.RawScales.copy_(tensor(sd.Select(s => (float)BayesianNetwork.RawScale(s)).ToArray()));
        }
        double kl = network.KullbackLeibler(precision).item<float>();

        // Per weight, KL(N(μ, σ²) ‖ N(0, s²)) = log(s/σ) + (σ² + μ²)/(2s²) − ½ with s² = 1/λ.
        double priorSd = 1 / Math.Sqrt(precision);
        double hand = mu.Zip(sd, (m, s) => Math.Log(priorSd / s) + (s * s + m * m) / (2 * priorSd * priorSd) - 0.5).Sum();
        Assert.Equal(hand, kl, 5);

        // E_q[log q(w) − log p(w)] from 400 000 draws (float64), within 5 standard errors.
        var g = new Generator(11);
        var m = tensor(mu);
        var s = tensor(sd);
        var w = m + s * randn(new long[] { 400_000, 2 }, ScalarType.Float64, generator: g);
        var logQ = (-0.5 * ((w - m) / s).square() - s.log() - 0.5 * Math.Log(2 * Math.PI)).sum(1);
        var logP = (-0.5 * precision * w.square() + 0.5 * Math.Log(precision / (2 * Math.PI))).sum(1);
        var terms = logQ - logP;
        double estimate = terms.mean().item<double>(), error = terms.std().item<double>() / Math.Sqrt(400_000);
        Assert.True(Math.Abs(estimate - kl) < 5 * error, $"KL {kl} vs Monte Carlo {estimate} ± {error}");
    }

    [Fact]
    public void FromMlp_MeansEqualFlatParametersExactly()
    {
        using var scope = NewDisposeScope();
        using var mlp = new Mlp(3, [5, 4], 2, Activation.Tanh, seed: 4);
        using var bayesian = BayesianNetwork.FromNetwork(mlp);
        Assert.IsType<BayesianMlp>(bayesian);
        Assert.True(bayesian.Means.detach().equal(WeightSpace.Of(mlp).Get()).all().item<bool>());
    }

    [Fact]
    public void FromLeNet5_MeansEqualFlatParametersExactly()
    {
        using var scope = NewDisposeScope();
        using var lenet = new LeNet5(outputs: 3, seed: 4);
        using var bayesian = BayesianNetwork.FromNetwork(lenet);
        Assert.IsType<BayesianLeNet5>(bayesian);
        Assert.Equal(WeightSpace.Of(lenet).Count, bayesian.ParameterCount);
        Assert.True(bayesian.Means.detach().equal(WeightSpace.Of(lenet).Get()).all().item<bool>());
    }

    [Fact]
    public void FromNetwork_AtTinySd_ComputesThePlainNetwork()
    {
        // Each layer reads its slice of μ: with σ ≈ 0 the Bayesian forward is the plain network's.
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        using var mlp = new Mlp(3, [6], 2, Activation.Gelu, seed: 2);
        using var lenet = new LeNet5(outputs: 4, seed: 2);
        foreach (var (plain, x) in new (nn.Module<Tensor, Tensor>, Tensor)[] { (mlp, randn(new long[] { 5, 3 }, generator: g)), (lenet, randn(new long[] { 2, 1, 28, 28 }, generator: g)) })
        {
            using var bayesian = BayesianNetwork.FromNetwork(plain, initialSd: 1e-9);
            bayesian.eval();
            var expected = plain.forward(x).detach();
            var actual = bayesian.forward(x).detach();
            Assert.True(actual.allclose(expected, 1e-4, 1e-5), $"{bayesian.GetType().Name}: max difference {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e-3)]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(40.0)]
    public void StandardDeviations_StartAtTheInitialSd(double initialSd)
    {
        using var scope = NewDisposeScope();
        using var bayesian = new BayesianMlp(new Mlp(2, [3], 1), initialSd);
        var sd = bayesian.StandardDeviations().to_type(ScalarType.Float64);
        Assert.True(((sd / initialSd) - 1).abs().max().item<double>() < 1e-5, $"σ₀ = {initialSd}: got {sd[0].item<double>()}");
    }

    [Fact]
    public void Forward_WithTrainingSamples_StacksIndependentDrawsInTrainingModeOnly()
    {
        using var scope = NewDisposeScope();
        using var bayesian = new BayesianMlp(new Mlp(2, [3], 1), initialSd: 0.5) { TrainingSamples = 4 };
        var x = ones(5, 2);
        bayesian.train();
        var draws = bayesian.forward(x);
        Assert.Equal(new long[] { 4, 5, 1 }, draws.shape);
        Assert.False(draws[0].allclose(draws[1]));
        bayesian.eval();
        Assert.Equal(new long[] { 5, 1 }, bayesian.forward(x).shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => bayesian.TrainingSamples = 0);
    }

    public static TheoryData<string, Func<nn.Module<Tensor, Tensor>>> Unsupported => new()
    {
        { "BatchNorm1d", () => nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1)) },
        { "BatchNorm2d", () => nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4 * 26 * 26, 2)) },
        { "LSTM", () => new Recurrent() },
        { "Sequential", () => nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)) }, // supported layers, unsupported container
    };

    [Theory, MemberData(nameof(Unsupported))]
    public void FromNetwork_RefusesOtherModules_NamingTheLayerType(string layer, Func<nn.Module<Tensor, Tensor>> create)
    {
        using var network = create();
        var e = Assert.Throws<NotSupportedException>(() => BayesianNetwork.FromNetwork(network));
        Assert.Contains(layer, e.Message);
    }

    /// <summary>A user module with a recurrent layer.</summary>
    private sealed class Recurrent : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.LSTM lstm = nn.LSTM(4, 8);
        private readonly TorchSharp.Modules.Linear head = nn.Linear(8, 1);

        public Recurrent() : base(nameof(Recurrent)) => RegisterComponents();

        public override Tensor forward(Tensor input) => head.forward(lstm.forward(input).Item1);
    }

    [Fact]
    public void FromNetwork_RefusesStackedMlp()
    {
        using var mlp = new Mlp(2, [3], 1, members: 3);
        Assert.Throws<ArgumentException>(() => BayesianNetwork.FromNetwork(mlp));
    }
}
