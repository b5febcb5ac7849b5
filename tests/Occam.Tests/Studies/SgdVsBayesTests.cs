using Occam.Cli;
using Occam.GaussianProcesses.Classification;
using Occam.GaussianProcesses.Kernels;
using Occam.Studies.SgdVsBayes;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Studies;

/// <summary>
/// The parts of the SGD-versus-Bayes study against independent truths: the batched hand-written backward
/// pass against autograd, the small EP against Occam's EP classifier, the normal tail functions against
/// MathNet, the LZ76 parsing against a worked example, and a small end-to-end run.
/// </summary>
public sealed class SgdVsBayesTests
{
    [Theory]
    [InlineData(StudyLoss.CrossEntropy)]
    [InlineData(StudyLoss.SquaredError)]
    public void StackedNetworks_Gradient_EqualsAutogradOfEachMembersMeanLoss(StudyLoss loss)
    {
        var g = new TorchSharp.torch.Generator(3);
        using var networks = StackedNetworks.Initialise(3, 5, [6, 4], 1.0, 0.5, g);
        using var x = randint(0, 2, new long[] { 3, 4, 5 }, generator: g).to_type(ScalarType.Float32);
        using var labels = randint(0, 2, new long[] { 3, 4 }, generator: g).to_type(ScalarType.Float32);
        using var manual = networks.Gradient(x, labels, loss);

        using var theta = networks.Theta.detach().clone().requires_grad_(true);
        var outputs = Reference(theta, x, [5, 6, 4, 1]);
        var sign = labels * 2 - 1;
        var perExample = loss == StudyLoss.CrossEntropy ? nn.functional.softplus(-sign * outputs) : (outputs - sign).square();
        perExample.mean(new long[] { 1 }).sum().backward();
        using var grad = theta.grad!;
        Assert.True(manual.allclose(grad, 1e-5, 1e-6), $"max difference {(manual - grad).abs().max().item<float>()}");
    }

    /// <summary>A plain per-member forward pass from the flat layout, for autograd.</summary>
    private static Tensor Reference(Tensor theta, Tensor x, int[] widths)
    {
        var outputs = new List<Tensor>();
        for (int k = 0; k < theta.size(0); k++)
        {
            var h = x[k];
            long offset = 0;
            for (int l = 0; l < widths.Length - 1; l++)
            {
                var w = theta[k].narrow(0, offset, widths[l] * widths[l + 1]).view(widths[l], widths[l + 1]);
                offset += widths[l] * widths[l + 1];
                var b = theta[k].narrow(0, offset, widths[l + 1]);
                offset += widths[l + 1];
                h = h.mm(w) + b;
                if (l < widths.Length - 2) h = h.relu();
            }
            outputs.Add(h.squeeze(1));
        }
        return stack(outputs);
    }

    [Fact]
    public void SmallEp_LogEvidence_EqualsTheEpClassifiers()
    {
        var g = new TorchSharp.torch.Generator(5);
        using var x = randint(0, 2, new long[] { 40, 6 }, generator: g).to_type(ScalarType.Float64);
        using var kernel = new NngpKernel(2, NetworkActivation.Relu, 1.0, 1.0);
        using var k = kernel.Matrix(x, x);
        var labels = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? 1.0 : -1.0).ToArray();
        using var y = tensor(labels, dtype: ScalarType.Float64);
        using var ep = new EpBinaryClassifier(kernel, x, y, new EpOptions { Tolerance = 1e-10 });
        double fast = SmallEp.LogEvidence(k.contiguous().data<double>().ToArray(), labels, 500, 1e-10);
        Assert.Equal(ep.LogMarginalLikelihood().Total, fast, 6);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 1.0, -1.0 })]
    [InlineData(new[] { 1.0, 1.0, -1.0 })]
    [InlineData(new[] { -1.0, 1.0, 1.0 })]
    public void SmallEp_WithAVanishingLabelNoise_GivesTheOrthantProbabilityOfTheSigns(double[] labels)
    {
        // P(sign f = y) for f ~ N(0, K) has a closed form for 2 and 3 points (Sheppard; the trivariate
        // orthant formula): 1/4 + asin ρ'/(2π) and 1/8 + Σ asin ρ'ᵢⱼ/(4π), with ρ'ᵢⱼ = yᵢyⱼρᵢⱼ.
        double[][] inputs = [[0, 0, 1], [1, 0, 1], [1, 1, 0]];
        int n = labels.Length;
        using var x = tensor(inputs.Take(n).SelectMany(r => r).ToArray(), new long[] { n, 3 }, ScalarType.Float64);
        using var kernel = new NngpKernel(2, NetworkActivation.Relu, 1.0, 1.0);
        var k = kernel.Matrix(x, x).contiguous().data<double>().ToArray();
        double Rho(int i, int j) => labels[i] * labels[j] * k[i * n + j] / Math.Sqrt(k[i * n + i] * k[j * n + j]);
        double exact = n == 2
            ? 0.25 + Math.Asin(Rho(0, 1)) / (2 * Math.PI)
            : 0.125 + (Math.Asin(Rho(0, 1)) + Math.Asin(Rho(0, 2)) + Math.Asin(Rho(1, 2))) / (4 * Math.PI);
        const double epsilon = 1e-3;
        double ep = SmallEp.LogEvidence(k.Select(v => v / (epsilon * epsilon)).ToArray(), labels, 500, 1e-10);
        // EP is within 1% where the signs disagree with the strong correlation, 7% where they agree (measured)
        Assert.InRange(ep - Math.Log(exact), -0.08, 0.08);
        // the unit-noise probit makes every label partly random: it is off by a factor 1.3 to 4.5 here
        double probit = SmallEp.LogEvidence(k, labels, 500, 1e-10);
        Assert.True(Math.Abs(probit - Math.Log(exact)) > 0.25, $"unit-noise probit {probit} against the step's {Math.Log(exact)}");
    }

    [Fact]
    public void StandardNormal_TailFunctions_MatchMathNet()
    {
        foreach (double z in new[] { -40.0, -25, -12, -8.5, -4.3, -4.2, -2, -0.3, 0, 0.7, 3, 9 })
        {
            double phi = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
            double logPhi = z < -30 ? -0.5 * z * z - Math.Log(-z) - 0.5 * Math.Log(2 * Math.PI) + Math.Log(1 - 1 / (z * z) + 3 / Math.Pow(z, 4) - 15 / Math.Pow(z, 6) + 105 / Math.Pow(z, 8)) : Math.Log(phi);
            Assert.True(Math.Abs(StandardNormal.LogCdf(z) - logPhi) <= 1e-9 * Math.Max(1, Math.Abs(logPhi)), $"log Φ({z})");
            double density = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            double mills = z < -30 ? Math.Exp(-0.5 * z * z - 0.5 * Math.Log(2 * Math.PI) - logPhi) : density / phi;
            Assert.True(Math.Abs(StandardNormal.MillsRatio(z) - mills) <= 1e-9 * Math.Max(1, mills), $"Mills ratio at {z}");
        }
    }

    [Fact]
    public void LempelZiv_WordsAndComplexity()
    {
        Assert.Equal(6, LempelZiv.Words("0001101001000101".Select(c => c == '1').ToArray())); // 0·001·10·100·1000·101
        Assert.Equal(7.0, LempelZiv.Complexity(new bool[128]));
        var pattern = Enumerable.Range(0, 128).Select(i => i % 4 >= 2).ToArray();
        var random = new Random(2);
        var noise = Enumerable.Range(0, 128).Select(_ => random.Next(2) == 1).ToArray();
        Assert.True(LempelZiv.Complexity(pattern) < LempelZiv.Complexity(noise));
    }

    [Fact]
    public void BooleanTask_PatternTarget_AndDisjointSplit()
    {
        var task = BooleanTask.Create(7, "pattern:0011", 32, 4);
        Assert.Equal("0011", new string(task.Target.Take(4).Select(b => b ? '1' : '0').ToArray()));
        Assert.Equal(128, task.Target.Count);
        Assert.Equal(32, task.Train.Count);
        Assert.Equal(96, task.Test.Count);
        Assert.Empty(task.Train.Intersect(task.Test));
        Assert.Equal(new float[] { 0, 0, 0, 1, 0, 1, 0 }, task.Input(10)); // 10 = 0001010
        Assert.Equal(task.Target, BooleanTask.Create(7, "hex:" + string.Concat(Enumerable.Repeat("3", 32)), 32, 4).Target);
        Assert.Throws<ArgumentException>(() => BooleanTask.Create(7, "pattern:012", 32, 0));
        Assert.Throws<ArgumentException>(() => BooleanTask.Create(7, "pattern:001", 32, 0));
    }

    [Fact]
    public void FunctionCodes_PackBitsInTestOrder()
    {
        var bits = Enumerable.Range(0, 96).Select(j => j % 5 == 0 || j == 95).ToArray();
        using var predictions = tensor(bits).reshape(1, 96);
        var code = Assert.Single(FunctionCodes.Pack(predictions));
        Assert.Equal(new string(bits.Select(b => b ? '1' : '0').ToArray()), FunctionCodes.Text(code, 96));
    }

    [Fact]
    public void Study_SmallRun_CountsEveryNetworkAndWritesItsOutputs()
    {
        var options = new SgdVsBayesOptions { Bits = 5, TrainSize = 10, Networks = 300, ChunkSize = 128, PriorSamples = 20_000, MinCount = 3, Seed = 1 };
        var result = SgdVsBayesStudy.Run(options);
        Assert.Equal(300, result.Fitted + result.Unfitted);
        Assert.Equal(1.0, result.Functions.Sum(f => f.PSgd), 9);
        Assert.Equal(result.Fitted, result.Functions.Sum(f => f.Count));
        Assert.All(result.Functions, f => Assert.True(f.LogPBayes < 0 && f.Function.Length == 22));
        Assert.True(double.IsFinite(result.CorrelationAll));
        Assert.True(result.PriorAccepted > 0);
        var dir = TestPaths.NewTempDirectory();
        SgdVsBayesReport.Write(dir, result);
        foreach (var file in new[] { "summary.json", "functions.json", "results.md", "sgd-vs-bayes.png" }) Assert.True(File.Exists(Path.Combine(dir, file)), file);
    }

    [Theory]
    [InlineData("--networks", "0")]
    [InlineData("--label-noise", "0")]
    public void Cli_BadStudyOption_OneLineErrorNamingTheFlag(string flag, string value)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(["study", "sgd-vs-bayes", flag, value, "--out", TestPaths.NewTempDirectory()], output, error);
        Assert.Equal(CliApp.BadInput, code);
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith("error: " + flag, line);
    }
}
