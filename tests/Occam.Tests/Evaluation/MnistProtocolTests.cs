using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Laplace;
using Occam.Inference.Map;
using static TorchSharp.torch;

namespace Occam.Tests.Evaluation;

public sealed class MnistProtocolTests
{
    private static string MnistDir => Path.Combine(TestPaths.SharedData, "mnist");
    private static string NotMnistDir => Path.Combine(TestPaths.SharedData, "notmnist");

    // 2000 images, batch 32, 2 epochs: about 125 Adam steps, enough for LeNet-5 to reach 82-90% on the
    // first 200 test images whatever the seed (checked for seeds 0-2), in about a second.
    private static readonly MnistProtocolOptions Tiny = new() { Epochs = 2, BatchSize = 32, Angles = [0, 90] };

    private static MnistRow RunTiny(IPosteriorMethod method, bool withOod = true)
    {
        using var train = IdxReader.LoadMnist(MnistDir, train: true, limit: 2000);
        using var test = IdxReader.LoadMnist(MnistDir, train: false, limit: 200);
        using var ood = withOod ? MnistProtocol.LoadNotMnist(NotMnistDir, limit: 200) : null;
        return Assert.Single(MnistProtocol.Run(train, test, ood, new MethodRun(method), Tiny));
    }

    private static readonly ModelSetup AnySetup = new();

    [Fact]
    public void Run_Map_LearnsDigits_AndRotationByNinetyDegreesHurts()
    {
        var row = RunTiny(new MapMethod(AnySetup));
        Assert.Equal("map", row.Method);
        Assert.Equal((2000, 200, 200), (row.TrainSize, row.TestSize, row.OodSize!.Value));
        Assert.True(row.Accuracy > 0.7, $"accuracy {row.Accuracy}");
        Assert.InRange(row.Ece, 0, 1);
        Assert.InRange(row.Brier, 0, 2);
        Assert.True(row.Nll > 0);
        Assert.True(row.FitSeconds > 0 && row.PredictSeconds > 0);

        Assert.Equal([0.0, 90.0], row.RotationCurve.Select(p => p.Angle));
        var (upright, turned) = (row.RotationCurve[0], row.RotationCurve[1]);
        Assert.Equal((row.Accuracy, row.Nll, row.Ece), (upright.Accuracy, upright.Nll, upright.Ece));
        Assert.True(turned.Accuracy < upright.Accuracy - 0.3, $"accuracy {upright.Accuracy} upright, {turned.Accuracy} at 90°");
        Assert.True(turned.Nll > upright.Nll);
    }

    [Fact]
    public void Run_Map_MutualInformationTiesEverywhere_SoItsAurocIsOneHalf()
    {
        var row = RunTiny(new MapMethod(AnySetup));
        Assert.InRange(row.OodAurocEntropy!.Value, 0, 1);
        Assert.Equal(0.5, row.OodAurocMutualInformation!.Value);
    }

    [Fact]
    public void Run_McDropout_EpistemicUncertaintyIsHigherOnNotMnist()
    {
        var row = RunTiny(new McDropoutMethod(AnySetup, new McDropoutOptions { DropoutRate = 0.1, Samples = 20 }));
        Assert.True(row.Accuracy > 0.7, $"accuracy {row.Accuracy}");
        Assert.Equal(2, row.RotationCurve.Count);
        Assert.InRange(row.OodAurocEntropy!.Value, 0, 1);
        Assert.True(row.OodAurocMutualInformation > 0.6, $"AUROC of mutual information {row.OodAurocMutualInformation}");
    }

    [Fact]
    public void Run_WithoutOod_LeavesTheOodScoresNull_AndLeaksNoTensor()
    {
        using var train = IdxReader.LoadMnist(MnistDir, train: true, limit: 200);
        using var test = IdxReader.LoadMnist(MnistDir, train: false, limit: 50);
        long before = LiveTensors.Count;
        var row = Assert.Single(MnistProtocol.Run(train, test, null, new MethodRun(new McDropoutMethod(AnySetup, new McDropoutOptions { Samples = 5 })), Tiny with { Epochs = 1, Angles = [0, 30, 60] }));
        Assert.Equal(before, LiveTensors.Count);
        Assert.Null(row.OodSize);
        Assert.Null(row.OodAurocEntropy);
        Assert.Null(row.OodAurocMutualInformation);
        Assert.Equal([0.0, 30.0, 60.0], row.RotationCurve.Select(p => p.Angle));
    }

    [Fact]
    public void Run_LastLayerLaplace_MutualInformationSeparatesNotMnist()
    {
        var row = RunTiny(new LaplaceMethod(AnySetup, new LaplaceOptions { Samples = 50 }));
        Assert.NotEqual(0.5, row.OodAurocMutualInformation!.Value);
        Assert.True(row.OodAurocMutualInformation > 0.6, $"AUROC of mutual information {row.OodAurocMutualInformation}");
    }

    [Fact]
    public void Run_PredictionVariants_ScoreOneFitTwice()
    {
        using var train = IdxReader.LoadMnist(MnistDir, train: true, limit: 200);
        using var test = IdxReader.LoadMnist(MnistDir, train: false, limit: 50);
        var run = new MethodRun(new McDropoutMethod(AnySetup, new McDropoutOptions { Samples = 5 }),
            [new PredictionVariant("mc-dropout", new PredictOptions()), new PredictionVariant("mc-dropout@mean", new PredictOptions(AtMean: true))]);
        var rows = MnistProtocol.Run(train, test, null, run, Tiny with { Epochs = 1, Angles = [0] });
        Assert.Equal(["mc-dropout", "mc-dropout@mean"], rows.Select(r => r.Method));
        Assert.Equal(rows[0].FitSeconds, rows[1].FitSeconds);
        Assert.NotEqual(rows[0].Nll, rows[1].Nll);
    }

    [Fact]
    public void Run_VectorData_ThrowsNamingTheShape()
    {
        using var images = IdxReader.LoadMnist(MnistDir, train: true, limit: 20);
        using var flat = new Dataset(images.Inputs.reshape(20, 784), images.Targets.clone(), TaskKind.Classification, 10);
        var e = Assert.Throws<ArgumentException>(() => MnistProtocol.Run(images, flat, null, new MethodRun(new MapMethod(AnySetup)), Tiny));
        Assert.Contains("28, 28", e.Message);
    }

    [Theory]
    [InlineData("Angles")]
    [InlineData("Epochs")]
    [InlineData("PredictBatchSize")]
    public void Validate_BadSetting_ThrowsNamingIt(string setting)
    {
        var options = setting switch
        {
            "Angles" => Tiny with { Angles = [] },
            "Epochs" => Tiny with { Epochs = 0 },
            _ => Tiny with { PredictBatchSize = 0 },
        };
        var e = Assert.Throws<ArgumentException>(() => options.Validate());
        Assert.Equal(setting, e.ParamName);
    }

    [Fact]
    public void Defaults_FollowTheRotatedMnistProtocol()
    {
        var options = new MnistProtocolOptions();
        Assert.Equal(Enumerable.Range(0, 13).Select(i => 15.0 * i), options.Angles);
        Assert.Equal((5, 128, 1e-3, 1.0), (options.Epochs, options.BatchSize, options.LearningRate, options.PriorPrecision));
    }

    [Fact]
    public void LoadNotMnist_ReadsLetterImagesInMnistShape()
    {
        using var ood = MnistProtocol.LoadNotMnist(NotMnistDir, limit: 30);
        Assert.Equal(new long[] { 30, 1, 28, 28 }, ood.Inputs.shape);
        Assert.Equal("notmnist", ood.Name);
        using var max = ood.Inputs.max();
        Assert.True(max.item<float>() <= 1f);
    }
}
