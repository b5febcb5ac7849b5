using System.Text.Json;
using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>
/// Saves and restores Laplace posteriors: <c>posterior.json</c> (options, hyperparameters,
/// architecture, likelihood, standardisation, data-fit terms), <c>network.bin</c> (the MAP network's
/// state) and <c>curvature.bin</c> (the structure's factors as raw float64 tensors). θ*, the weight
/// stack and the layer map are rebuilt from the network. Files are written under temporary names
/// and renamed.
/// </summary>
internal static class LaplaceStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Save(LaplacePosterior posterior, string directory)
    {
        Directory.CreateDirectory(directory);
        var d = posterior.Description;
        var evidence = posterior.EvidenceTerms;
        var manifest = new Manifest("laplace", posterior.Task.ToString(), posterior.Seed, d.InputShape, d.Outputs, d.Width,
            NetworkSpecDto.From(d.Spec), LikelihoodDto.From(posterior.LikelihoodModel), posterior.Standardiser, posterior.Options,
            posterior.PriorPrecision, posterior.NoiseSd, evidence.SumSquaredResiduals, evidence.Targets, evidence.FixedLogLikelihood,
            posterior.CurvatureStructure.Structure);
        var network = Path.Combine(directory, "network.bin");
        posterior.Network.save(network + ".tmp");
        File.Move(network + ".tmp", network, overwrite: true);
        var curvature = Path.Combine(directory, "curvature.bin");
        using (var writer = new BinaryWriter(File.Create(curvature + ".tmp")))
        {
            var tensors = CurvatureTensors(posterior.CurvatureStructure);
            if (posterior.SubsetIndices is { } subset) tensors.Add(subset.to_type(ScalarType.Float64));
            writer.Write(tensors.Count);
            foreach (var t in tensors)
            {
                Write(writer, t);
                t.Dispose();
            }
        }
        File.Move(curvature + ".tmp", curvature, overwrite: true);
        var path = Path.Combine(directory, "posterior.json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(manifest, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static LaplacePosterior Load(string directory)
    {
        var path = Path.Combine(directory, "posterior.json");
        Manifest m;
        try
        {
            m = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json) ?? throw new JsonException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, null, null, $"not a valid Laplace posterior manifest ({e.Message})");
        }
        foreach (var file in new[] { "network.bin", "curvature.bin" })
            if (!File.Exists(Path.Combine(directory, file))) throw new DataFormatException(Path.Combine(directory, file), null, null, "missing file of a saved Laplace posterior");
        var spec = m.Spec.ToSpec();
        var network = spec.Create(m.InputShape, m.Outputs, 1, 0);
        network.load(Path.Combine(directory, "network.bin"));
        network.eval();
        using var reader = new BinaryReader(File.OpenRead(Path.Combine(directory, "curvature.bin")));
        var tensors = Enumerable.Range(0, reader.ReadInt32()).Select(_ => Read(reader)).ToList();
        var stack = WeightStack.From(network, m.Options.Subset);
        using var scope = NewDisposeScope();
        Tensor? subset = m.Options.Subset == WeightSubset.Subnetwork ? tensors[^1].to_type(ScalarType.Int64) : null;
        var curvature = Rebuild(m.Structure, subset is null ? tensors : tensors.SkipLast(1).ToList());
        var theta = stack.Theta();
        var covered = subset is null ? theta : theta.index_select(0, subset);
        var layerIndex = cat(stack.LayerSizes.Select((size, l) => full(size, (long)l, ScalarType.Int64)).ToArray());
        if (subset is not null) layerIndex = layerIndex.index_select(0, subset);
        var likelihood = m.Likelihood.ToLikelihood(1);
        bool unitNoise = CurvatureBuilder.UsesUnitNoise(likelihood, m.Options.Curvature);
        var evidence = new EvidenceModel(curvature, covered.clone(), layerIndex, unitNoise, m.SumSquaredResiduals, m.Targets, m.FixedLogLikelihood);
        var description = new NetworkDescription(m.InputShape, m.Outputs, m.Width, spec);
        foreach (var t in tensors) t.Dispose();
        return new LaplacePosterior(Enum.Parse<TaskKind>(m.Task), network, stack, curvature, evidence, theta, subset, likelihood,
            m.Standardiser, m.Options, m.PriorPrecision, m.NoiseSd, m.Seed, description);
    }

    private static List<Tensor> CurvatureTensors(ICurvature curvature) => curvature switch
    {
        DenseCurvature d => [d.ToDense()],
        DiagonalCurvature d => [d.Diagonal],
        KroneckerCurvature k => k.Blocks().SelectMany(b => new[] { b.A, b.B }).ToList(),
        LowRankCurvature l => [l.Eigenvectors, l.Eigenvalues],
        _ => throw new NotSupportedException($"Saving a {curvature.Structure} curvature is not supported."),
    };

    private static ICurvature Rebuild(string structure, List<Tensor> t) => structure switch
    {
        "full" => new DenseCurvature(t[0]),
        "diag" => new DiagonalCurvature(t[0]),
        "kron" => new KroneckerCurvature(Enumerable.Range(0, t.Count / 2).Select(k => new KroneckerBlock(t[2 * k], t[2 * k + 1])).ToList()),
        "lowrank" => new LowRankCurvature(t[0], t[1]),
        _ => throw new NotSupportedException($"Unknown curvature structure '{structure}'."),
    };

    private static void Write(BinaryWriter writer, Tensor tensor)
    {
        using var values = tensor.to_type(ScalarType.Float64).contiguous().cpu();
        writer.Write(values.dim());
        foreach (var size in values.shape) writer.Write(size);
        var data = values.data<double>().ToArray();
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
    }

    private static Tensor Read(BinaryReader reader)
    {
        var shape = new long[reader.ReadInt64() is var rank ? (int)rank : 0];
        for (int i = 0; i < shape.Length; i++) shape[i] = reader.ReadInt64();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var bytes = reader.ReadBytes(checked((int)(count * sizeof(double))));
        if (bytes.Length != count * sizeof(double)) throw new EndOfStreamException("the curvature file is truncated");
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
        return tensor(values, ScalarType.Float64).reshape(shape).DetachFromDisposeScope();
    }

    private sealed record Manifest(string Method, string Task, long Seed, long[] InputShape, int Outputs, int Width, NetworkSpecDto Spec,
        LikelihoodDto Likelihood, Standardiser Standardiser, LaplaceOptions Options, double[] PriorPrecision, double? NoiseSd,
        double SumSquaredResiduals, long Targets, double FixedLogLikelihood, string Structure);
}
