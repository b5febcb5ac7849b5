using System.Globalization;
using Occam.Core;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Map;

namespace Occam.Tests.Evaluation;

public sealed class UciTuningTests
{
    private static string Yacht => Path.Combine(TestPaths.SharedData, "uci", "yacht");

    private static readonly UciProtocolOptions Base = new(Epochs: 20, Seed: 3);

    // A setting that cannot fit yacht (one epoch at a tiny rate) and one that does.
    private static TuningCandidate Bad => new("bad", new MethodRun(new MapMethod(new ModelSetup())), Base with { Epochs = 1, LearningRate = 1e-5 });
    private static TuningCandidate Good => new("good", new MethodRun(new MapMethod(new ModelSetup())), Base);

    [Fact]
    public void InnerSplit_HoldsOutTheLastCeilingFractionOfTheTrainingRows()
    {
        long[] rows = [9, 3, 7, 1, 0, 2, 8, 6, 5, 4];
        var (fit, validation) = UciTuning.InnerSplit(rows, 0.2);
        Assert.Equal([9L, 3, 7, 1, 0, 2, 8, 6], fit);
        Assert.Equal([5L, 4], validation);
        (fit, validation) = UciTuning.InnerSplit(rows, 0.25); // ⌈2.5⌉ = 3
        Assert.Equal(7, fit.Length);
        Assert.Equal([6L, 5, 4], validation);
        Assert.Throws<ArgumentOutOfRangeException>(() => UciTuning.InnerSplit(rows, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => UciTuning.InnerSplit(rows, 0.6));
        Assert.Throws<ArgumentOutOfRangeException>(() => UciTuning.InnerSplit([1L], 0.2));
    }

    [Fact]
    public void RunSplit_ChoosesTheBetterSettingOnValidation_AndScoresItAsTheFixedProtocolWould()
    {
        using var yacht = UciBenchmark.Load(Yacht);
        var tuned = UciTuning.RunSplit(yacht, [Bad, Good], 0, 0.2);
        Assert.Equal("good", tuned.Tuning!.Setting);
        Assert.True(tuned.Tuning.ValidationLogLikelihood > -2.5, $"validation LL {tuned.Tuning.ValidationLogLikelihood}");

        var fixedRun = UciProtocol.RunSplit(yacht, Good.Run, 0, Good.Options);
        Assert.Equal(fixedRun.Variants, tuned.Variants);
        Assert.Null(fixedRun.Tuning);
    }

    [Fact]
    public void RunSplit_ValidationScore_IsTheLogLikelihoodOfTheFitRowsModelOnTheHeldOutTrainingRows()
    {
        using var yacht = UciBenchmark.Load(Yacht);
        var tuned = UciTuning.RunSplit(yacht, [Bad, Good], 1, 0.2);
        var (train, _) = yacht.SplitIndices(1);
        var (fitRows, validationRows) = UciTuning.InnerSplit(train, 0.2);
        using var fit = yacht.All.Subset(fitRows, "fit");
        using var validation = yacht.All.Subset(validationRows, "validation");
        var method = Good.Run.Method.With(UciProtocol.Setup(yacht, Good.Options));
        using var posterior = method.Fit(fit, new FitContext(UciProtocol.SplitSeed(Base.Seed, 1)));
        using var predictive = posterior.Predict(validation.Inputs);
        // the Gaussian log density of each held-out target, by hand
        var mean = predictive.Mean.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
        var variance = predictive.Variance.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
        var y = validation.Targets.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
        double ll = Enumerable.Range(0, y.Length).Average(i => -0.5 * Math.Log(2 * Math.PI * variance[i]) - 0.5 * (y[i] - mean[i]) * (y[i] - mean[i]) / variance[i]);
        Assert.Equal(ll, tuned.Tuning!.ValidationLogLikelihood!.Value, 4);
    }

    [Fact]
    public void RunSplit_NeverReadsTheTestRows()
    {
        using var yacht = UciBenchmark.Load(Yacht);
        using var spoiled = UciBenchmark.Load(WithSpoiledTestTargets(Yacht, split: 0));
        var clean = UciTuning.RunSplit(yacht, [Bad, Good], 0, 0.2);
        var broken = UciTuning.RunSplit(spoiled, [Bad, Good], 0, 0.2);
        Assert.Equal(clean.Tuning, broken.Tuning);
        Assert.True(broken.Variants[0].TestLogLikelihood < clean.Variants[0].TestLogLikelihood - 100);
    }

    [Fact]
    public void RunSplit_TiesKeepTheEarlierSetting_AndOneSettingSkipsValidation()
    {
        using var yacht = UciBenchmark.Load(Yacht);
        var tie = UciTuning.RunSplit(yacht, [Good with { Setting = "first" }, Good with { Setting = "second" }], 0, 0.2);
        Assert.Equal("first", tie.Tuning!.Setting);

        var single = UciTuning.RunSplit(yacht, [Good], 0, 0.2);
        Assert.Equal(new UciTuningChoice("good", null), single.Tuning);
        Assert.Equal(UciProtocol.RunSplit(yacht, Good.Run, 0, Good.Options).Variants, single.Variants);
    }

    [Fact]
    public void RunSplit_RefusesNoCandidatesOrCandidatesOfDifferentMethods()
    {
        using var yacht = UciBenchmark.Load(Yacht);
        Assert.Throws<ArgumentException>(() => UciTuning.RunSplit(yacht, [], 0, 0.2));
        var other = new TuningCandidate("ensemble", new MethodRun(new Occam.Inference.Ensembles.EnsembleMethod(new ModelSetup())), Base);
        Assert.Throws<ArgumentException>(() => UciTuning.RunSplit(yacht, [Good, other], 0, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => UciTuning.RunSplit(yacht, [Good], 0, 0.7));
    }

    [Fact]
    public void Summarise_CountsTheChosenSettings_MostOftenFirst()
    {
        static UciSplitResult Split(int i, string? setting) =>
            new UciSplitResult("d", i, "map", [new UciVariantScore("map", -1, 1, 0.9)], 1, null, null) { Tuning = setting is null ? null : new UciTuningChoice(setting, -1) };
        var row = Assert.Single(UciProtocol.Summarise([Split(0, "a"), Split(1, "b"), Split(2, "b"), Split(3, "c"), Split(4, "a"), Split(5, "b")]));
        Assert.Equal([new UciTuningCount("b", 3), new UciTuningCount("a", 2), new UciTuningCount("c", 1)], row.Tuning!);
        Assert.Null(Assert.Single(UciProtocol.Summarise([Split(0, "a"), Split(1, null)])).Tuning);
    }

    /// <summary>A copy of a UCI folder whose test targets of <paramref name="split"/> are replaced by 10⁶.</summary>
    private static string WithSpoiledTestTargets(string source, int split)
    {
        var dir = TestPaths.NewTempDirectory();
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        int target = int.Parse(File.ReadAllText(Path.Combine(dir, "index_target.txt")).Trim(), CultureInfo.InvariantCulture);
        var test = File.ReadAllLines(Path.Combine(dir, $"index_test_{split}.txt")).Where(l => l.Trim().Length > 0)
            .Select(l => int.Parse(l.Trim(), CultureInfo.InvariantCulture)).ToHashSet();
        var rows = File.ReadAllLines(Path.Combine(dir, "data.txt")).Where(l => l.Trim().Length > 0).Select((line, i) =>
        {
            if (!test.Contains(i)) return line;
            var cells = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            cells[target] = "1000000";
            return string.Join(' ', cells);
        });
        File.WriteAllLines(Path.Combine(dir, "data.txt"), rows);
        return dir;
    }
}
