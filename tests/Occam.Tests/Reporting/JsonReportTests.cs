using Occam.Data;
using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class JsonReportTests
{
    private sealed record Row(string Dataset, double TestLlMean);

    private sealed record Run(string Method, TaskKind Task, double Rmse, IReadOnlyList<double> Folds);

    [Fact]
    public void Serialize_UsesSnakeCaseIndentedProperties()
    {
        var json = JsonReport.Serialize(new Row("boston", -2.41));
        Assert.Equal("{\n  \"dataset\": \"boston\",\n  \"test_ll_mean\": -2.41\n}", json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Serialize_WritesUndefinedNumbersAsNull()
    {
        var json = JsonReport.Serialize(new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.5 });
        Assert.Equal("[null,null,null,1.5]", json.Replace("\n", "").Replace("\r", "").Replace(" ", ""));
        double? maybe = double.NaN;
        Assert.Contains("null", JsonReport.Serialize(new { Value = maybe }));
    }

    [Fact]
    public void Serialize_WritesEnumsAsSnakeCaseStringsAndKeepsUnicodeReadable()
    {
        var json = JsonReport.Serialize(new Run("deep ensemble ±", TaskKind.Regression, 2.5, [1.0, 2.0]));
        Assert.Contains("\"task\": \"regression\"", json);
        Assert.Contains("\"method\": \"deep ensemble ±\"", json);
    }

    [Fact]
    public void Write_WritesFileAtomicallyWithTrailingNewline()
    {
        var dir = TestPaths.NewTempDirectory();
        try
        {
            var path = Path.Combine(dir, "out", "row.json");
            JsonReport.Write(path, new Row("yacht", 1.25));
            var text = File.ReadAllText(path);
            Assert.Equal(JsonReport.Serialize(new Row("yacht", 1.25)) + "\n", text);
            PngFile.AssertNoTempFiles(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
