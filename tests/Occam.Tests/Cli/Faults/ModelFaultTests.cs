using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli.Faults;

/// <summary>A model fitted once on a table with text labels and a categorical column, for the eval and predict cases.</summary>
public sealed class FittedModels
{
    public FittedModels()
    {
        Classification = ClassificationCsv();
        ClassificationModel = Fit(Classification, "label");
        Regression = RegressionCsv();
        RegressionModel = Fit(Regression, "y");
    }

    public string Classification { get; }

    public string ClassificationModel { get; }

    public string Regression { get; }

    public string RegressionModel { get; }

    private static string Fit(string csv, string target)
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "fit");
        var result = Run(["fit", "--data", csv, "--target", target, "--method", "map", "--epochs", "30", "--hidden", "16", "--test-fraction", "0", "--out", dir]);
        Assert.True(result.Code == 0, result.Err);
        return dir;
    }
}

/// <summary>Faults around saved models: corrupt stores, columns and labels that do not match the model. Each is refused naming the file or column.</summary>
public sealed class ModelFaultTests(FittedModels models) : IClassFixture<FittedModels>
{
    private static string Copy(string model)
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "copy");
        foreach (var f in Directory.GetFiles(model, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dir, Path.GetRelativePath(model, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return dir;
    }

    [Theory]
    [InlineData("flipped byte", "checksum mismatch")]
    [InlineData("truncated", "checksum mismatch")]
    [InlineData("wrong header", "not an Occam tensor file")]
    [InlineData("missing tensors", "missing file")]
    [InlineData("bad manifest", "not a valid posterior manifest")]
    [InlineData("future version", "format version 99")]
    public void Eval_CorruptModelFiles_AreNamed(string fault, string expected)
    {
        var model = Copy(models.RegressionModel);
        var tensors = Path.Combine(model, "model", "tensors.bin");
        var manifest = Path.Combine(model, "model", "posterior.json");
        var bytes = File.ReadAllBytes(tensors);
        switch (fault)
        {
            case "flipped byte": bytes[bytes.Length / 2] ^= 0xFF; File.WriteAllBytes(tensors, bytes); break;
            case "truncated": File.WriteAllBytes(tensors, bytes[..(bytes.Length / 2)]); break;
            case "wrong header": bytes[0] = (byte)'X'; File.WriteAllBytes(tensors, bytes); break;
            case "missing tensors": File.Delete(tensors); break;
            case "bad manifest": File.WriteAllText(manifest, "{ not json"); break;
            default: File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"format_version\": 1", "\"format_version\": 99")); break;
        }
        var file = fault.Contains("manifest") || fault == "future version" ? manifest : tensors;
        AssertRefused(Run(["eval", "--model", model, "--data", models.Regression, "--out", Path.Combine(TestPaths.NewTempDirectory(), "e")]), CliApp.BadInput, file, expected);
    }

    [Fact]
    public void Eval_PermutedColumns_ScoreLikeTheOriginalOrder()
    {
        var lines = File.ReadAllLines(models.Classification);
        var permuted = Write(string.Join("\n", lines.Select(l => { var c = l.Split(','); return $"{c[2]},{c[1]},{c[0]}"; })) + "\n");
        var a = Run(["eval", "--model", models.ClassificationModel, "--data", models.Classification, "--format", "json", "--out", Path.Combine(TestPaths.NewTempDirectory(), "a")]);
        var b = Run(["eval", "--model", models.ClassificationModel, "--data", permuted, "--format", "json", "--out", Path.Combine(TestPaths.NewTempDirectory(), "b")]);
        Assert.True(a.Code == 0 && b.Code == 0, a.Err + b.Err);
        string Scores(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("results")[0].GetProperty("classification").GetRawText();
        Assert.Equal(Scores(a.Out), Scores(b.Out));
    }

    [Fact]
    public void Eval_ASubsetOfTheClasses_KeepsTheTrainingLabelMapping()
    {
        var lines = File.ReadAllLines(models.Classification);
        var midAndHigh = Write(string.Join("\n", lines.Where(l => !l.EndsWith(",low", StringComparison.Ordinal))) + "\n");
        var result = Run(["eval", "--model", models.ClassificationModel, "--data", midAndHigh, "--format", "json", "--out", Path.Combine(TestPaths.NewTempDirectory(), "e")]);
        Assert.True(result.Code == 0, result.Err);
        var accuracy = System.Text.Json.JsonDocument.Parse(result.Out).RootElement.GetProperty("results")[0].GetProperty("classification").GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 0.8, $"accuracy {accuracy}: the label mapping must come from the model, not the file");
    }

    [Fact]
    public void Eval_AndPredict_MissingColumnsUnseenLabelsAndCategories_AreRefusedByName()
    {
        var noB = Write("a,label\n0.1,low\n");
        AssertRefused(Run(["eval", "--model", models.ClassificationModel, "--data", noB, "--out", Path.Combine(TestPaths.NewTempDirectory(), "e")]), CliApp.BadInput, noB, "column \"b\" missing", "the model needs a, b");
        var unseen = Write("a,b,label\n0.1,0.2,low\n2.2,0.4,extreme\n");
        AssertRefused(Run(["eval", "--model", models.ClassificationModel, "--data", unseen, "--out", Path.Combine(TestPaths.NewTempDirectory(), "e")]), CliApp.BadInput, unseen + ":3:3:", "class label \"extreme\" was not seen in training");
        var category = Write("x1,kind,x2\n0.1,red,0.2\n0.3,green,0.4\n");
        AssertRefused(Run(["predict", "--model", models.RegressionModel, "--data", category]), CliApp.BadInput, category + ":3:2:", "category \"green\" was not seen in training; known: blue, red");
        AssertRefused(Run(["eval", "--model", models.ClassificationModel, "--data", models.Classification, "--target", "a", "--out", Path.Combine(TestPaths.NewTempDirectory(), "e")]), CliApp.BadInput, "--target a differs from the model's target \"label\"");
        var noModel = Path.Combine(TestPaths.NewTempDirectory(), "nothing");
        AssertRefused(Run(["predict", "--model", noModel, "--data", models.Regression]), CliApp.BadInput, noModel, "no such folder");
    }

    [Fact]
    public void Predict_WritesOneRowPerInputRow_WithLabelsAsWritten_AndIgnoresExtraColumns()
    {
        var lines = File.ReadAllLines(models.Classification);
        var extra = Write(string.Join("\n", lines.Select((l, i) => (i == 0 ? "note," : "n/a,") + l)) + "\n");
        var output = Path.Combine(TestPaths.NewTempDirectory(), "predictions.csv");
        var result = Run(["predict", "--model", models.ClassificationModel, "--data", extra, "--out", output, "--batch-size", "7"]);
        Assert.True(result.Code == 0, result.Err);
        var rows = File.ReadAllLines(output);
        Assert.Equal("line,predicted,p_high,p_low,p_mid,entropy,mutual_information", rows[0]);
        Assert.Equal(lines.Length, rows.Length);
        Assert.Contains(rows.Skip(1), r => r.Split(',')[1] == "low");
    }
}
