using Occam.Core;
using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Inference.Laplace;
using Occam.Inference.Variational;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Posteriors.Storage;
using Occam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Inference;

/// <summary>
/// A user's module built from TorchSharp layers only (no Occam class or interface) goes through every
/// method that accepts any module, and all-weights and last-layer Laplace on it equal the GGN computed
/// by autograd, one output row at a time.
/// </summary>
public sealed class UserModuleTests
{
    private const int Classes = 3;

    private static nn.Module<Tensor, Tensor> Build(long[] shape, int outputs) => nn.Sequential(
        ("conv", nn.Conv2d(1, 3, 3, padding: 1)), ("relu1", nn.ReLU()), ("pool", nn.MaxPool2d(2)), ("flat", nn.Flatten()),
        ("fc1", nn.Linear(3 * 4 * 4, 8)), ("relu2", nn.ReLU()), ("drop", nn.Dropout(0.25)), ("fc2", nn.Linear(8, outputs)));

    private static readonly CustomSpec Spec = new((shape, outputs, _) => Build(shape, outputs), "user CNN", ContainsDropout: true);

    private static ModelSetup Setup => new() { Network = Spec, Training = new TrainerOptions { Epochs = 3, BatchSize = 8, LearningRate = 1e-2 } };

    private static Dataset Images(int n, long seed)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var labels = randint(0, Classes, new long[] { n }, generator: g);
        var images = randn(new long[] { n, 1, 8, 8 }, generator: g) * 0.5f + labels.to_type(ScalarType.Float32).view(n, 1, 1, 1);
        return new Dataset(images, labels, TaskKind.Classification, Classes);
    }

    public static TheoryData<string> Methods => new() { "ensemble", "mc-dropout", "laplace", "laplace-all-diag", "laplace-all-kron", "ivon" };

    private static IPosteriorMethod Create(string name) => name switch
    {
        "ensemble" => new EnsembleMethod(Setup, new EnsembleOptions { Members = 3 }),
        "mc-dropout" => new McDropoutMethod(Setup, new McDropoutOptions { Samples = 10 }),
        "ivon" => new IvonMethod(Setup, new IvonOptions { Samples = 8 }),
        _ => MethodRegistry.Default.Find(name)!.Create(Setup),
    };

    [Theory, MemberData(nameof(Methods))]
    public void Fit_Predict_SaveAndLoad_OnAModuleOfTorchSharpLayersOnly(string name)
    {
        using var train = Images(32, 1);
        using var posterior = Create(name).Fit(train, new FitContext(Seed: 2));
        using var p = posterior.Predict(train.Inputs);
        using var sums = p.Probabilities.sum(1);
        Assert.True(sums.allclose(ones_like(sums), 1e-9, 1e-9));
        var dir = TestPaths.NewTempDirectory();
        posterior.Save(dir);
        using var loaded = PosteriorStore.Load(dir, new LoadContext(Spec));
        using var q = loaded.Predict(train.Inputs);
        using var lp = p.LogDensity(train.Targets);
        using var lq = q.LogDensity(train.Targets);
        Assert.True(lp.allclose(lq, 1e-6, 1e-6), $"{name}: predictions change through save and load");
    }

    [Fact]
    public void AllWeightsDiagonal_EqualsTheDiagonalOfTheAutogradGgn()
    {
        using var scope = NewDisposeScope();
        var (network, data) = Float64Network(6);
        var ggn = AutogradGgn(network, data);
        var perm = StackOrder(network);
        using var posterior = Fit(network, data, WeightSubset.All, HessianStructure.Diagonal);
        var expected = ggn.diagonal().index_select(0, perm);
        Assert.True(posterior.CurvatureMatrix().diagonal().allclose(expected, 1e-9, 1e-11));
    }

    [Fact]
    public void AllWeightsKfac_OnOneExample_EqualsTheAutogradGgnOnLinearLayers_AndTheExpandFactorsOnTheConvolution()
    {
        using var scope = NewDisposeScope();
        var (network, data) = Float64Network(1);
        var ggn = AutogradGgn(network, data);
        var perm = StackOrder(network);
        var stacked = ggn.index_select(0, perm).index_select(1, perm);
        var dense = Fit(network, data, WeightSubset.All, HessianStructure.Kron).CurvatureMatrix();
        long conv = (1 * 9 + 1) * 3, fc1 = (48 + 1) * 8, fc2 = (8 + 1) * Classes;
        foreach (var (start, length) in new[] { (conv, fc1), (conv + fc1, fc2) }) // one example, one position: KFAC is exact on linear layers
        {
            var block = dense.narrow(0, start, length).narrow(1, start, length);
            Assert.True(block.allclose(stacked.narrow(0, start, length).narrow(1, start, length), 1e-9, 1e-11));
        }
        // the convolution: A = Σₜ ãₜãₜᵀ over the augmented patches of the 64 positions, B = (1/T) Σₜ GₜᵀΛGₜ
        var image = data.Inputs.to_type(ScalarType.Float64);
        var patches = cat(new[] { nn.functional.unfold(image, 3, padding: 1)[0].t(), ones(64, 1, ScalarType.Float64) }, 1); // [T, 10]
        var a = patches.t().matmul(patches);
        var conv1 = ((TorchSharp.Modules.Sequential)network).children().First();
        var g = OutputJacobian(network, conv1, data.Inputs); // [O, C_out, T]
        var lambda = new CategoricalLikelihood().OutputHessian(network.call(data.Inputs.to_type(ScalarType.Float64)).detach())[0];
        var b = einsum("oct,op,pdt->cd", g, lambda, g) / 64;
        Assert.True(dense.narrow(0, 0, conv).narrow(1, 0, conv).allclose(kron(a, b), 1e-9, 1e-11));
    }

    [Fact]
    public void LastLayerFull_FindsTheFinalLinear_AndEqualsItsAutogradGgnBlock()
    {
        using var scope = NewDisposeScope();
        var (network, data) = Float64Network(6);
        var ggn = AutogradGgn(network, data);
        var perm = StackOrder(network);
        long last = (8 + 1) * Classes, start = perm.shape[0] - last;
        var stacked = ggn.index_select(0, perm).index_select(1, perm).narrow(0, start, last).narrow(1, start, last);
        using var posterior = Fit(network, data, WeightSubset.LastLayer, HessianStructure.Full);
        Assert.True(posterior.CurvatureMatrix().allclose(stacked, 1e-9, 1e-11));
    }

    private static LaplacePosterior Fit(nn.Module<Tensor, Tensor> network, Dataset data, WeightSubset subset, HessianStructure structure) =>
        new LaplaceMethod(new ModelSetup(), new LaplaceOptions { Subset = subset, Structure = structure, Tuning = PriorTuning.None })
            .FitToNetwork(network, new CategoricalLikelihood(), data);

    private static (nn.Module<Tensor, Tensor> Network, Dataset Data) Float64Network(int n)
    {
        nn.Module<Tensor, Tensor> network;
        using (new RandomSeed(5)) network = Build([1, 8, 8], Classes);
        network.to(ScalarType.Float64);
        network.eval();
        return (network, Images(n, 3));
    }

    /// <summary>Σₙ Jₙᵀ Λₙ Jₙ [P, P] in the module's parameter order, J by autograd one output at a time.</summary>
    private static Tensor AutogradGgn(nn.Module<Tensor, Tensor> network, Dataset data)
    {
        var parameters = network.parameters().ToArray<Tensor>();
        var f = network.call(data.Inputs.to_type(ScalarType.Float64));
        var lambda = new CategoricalLikelihood().OutputHessian(f.detach());
        Tensor total = zeros(parameters.Sum(p => p.numel()), parameters.Sum(p => p.numel()), ScalarType.Float64);
        for (long n = 0; n < f.shape[0]; n++)
        {
            var rows = Enumerable.Range(0, Classes).Select(o => cat(torch.autograd.grad([f[n, o]], parameters, retain_graph: true).Select(t => t.reshape(-1)).ToArray())).ToArray();
            var j = stack(rows); // [O, P]
            total = total + j.t().matmul(lambda[n]).matmul(j);
        }
        return total;
    }

    /// <summary>∂f_o / ∂(layer output) for one image: [O, C, T].</summary>
    private static Tensor OutputJacobian(nn.Module<Tensor, Tensor> network, nn.Module layer, Tensor image)
    {
        Tensor? captured = null;
        var hook = ((nn.Module<Tensor, Tensor>)layer).register_forward_hook((_, _, output) => { captured = output; return output.alias(); });
        var f = network.call(image.to_type(ScalarType.Float64));
        hook.remove();
        var rows = Enumerable.Range(0, Classes).Select(o => torch.autograd.grad([f[0, o]], [captured!], retain_graph: true)[0][0].reshape(3, -1)).ToArray();
        return stack(rows);
    }

    /// <summary>Indices into the module's θ in the order of Laplace's layer blocks [inputs + 1, outputs] row-major.</summary>
    private static Tensor StackOrder(nn.Module<Tensor, Tensor> network)
    {
        var order = new List<long>();
        long offset = 0;
        foreach (var layer in network.children())
        {
            var weight = layer.named_parameters(recurse: false).FirstOrDefault(p => p.name == "weight").parameter;
            if (weight is null) continue;
            long outputs = weight.shape[0], inputs = weight.numel() / outputs;
            for (long r = 0; r <= inputs; r++)
                for (long j = 0; j < outputs; j++)
                    order.Add(r < inputs ? offset + j * inputs + r : offset + outputs * inputs + j);
            offset += outputs * inputs + outputs;
        }
        return tensor(order.ToArray());
    }
}
