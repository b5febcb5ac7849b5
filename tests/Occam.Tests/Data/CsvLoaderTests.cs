using System.Globalization;
using System.Text;
using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Data;

public sealed class CsvLoaderTests
{
    private static string Write(string content, string fileName = "table.csv")
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), fileName);
        File.WriteAllText(path, content);
        return path;
    }

    private static DataFormatException LoadFails(string content, string target = "y", TaskKind? task = null)
    {
        var path = Write(content);
        var e = Assert.Throws<DataFormatException>(() => CsvLoader.Load(path, target, task).Dispose());
        Assert.Equal(path, e.File);
        return e;
    }

    [Fact]
    public void Load_RegressionTarget_ReadsFeaturesAndTargetColumns()
    {
        var path = Write("a,y,b\n1,0.5,2\n3,-1.25e1,4\n");
        using var data = CsvLoader.Load(path, "y");
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(ScalarType.Float32, data.Inputs.dtype);
        Assert.Equal(new long[] { 2, 2 }, data.Inputs.shape);
        Assert.Equal(new long[] { 2, 1 }, data.Targets.shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, data.Inputs.data<float>().ToArray());
        Assert.Equal(new[] { 0.5f, -12.5f }, data.Targets.data<float>().ToArray());
        Assert.Equal(new[] { "a", "b" }, data.FeatureNames);
        Assert.Equal("y", data.TargetName);
        Assert.Equal("table", data.Name);
    }

    [Fact]
    public void Load_TargetGivenAsIndex_UsesThatColumn()
    {
        var path = Write("a,b,c\n1,2,3.5\n4,5,6.5\n");
        using var data = CsvLoader.Load(path, "0", TaskKind.Regression, name: "mine");
        Assert.Equal(new[] { 1f, 4f }, data.Targets.data<float>().ToArray());
        Assert.Equal(new[] { 2f, 3.5f, 5f, 6.5f }, data.Inputs.data<float>().ToArray());
        Assert.Equal("mine", data.Name);
    }

    [Fact]
    public void Load_HeaderNamedLikeAnIndex_PrefersTheName()
    {
        var path = Write("a,1,c\n1,2,3.5\n4,5,6.5\n");
        using var data = CsvLoader.Load(path, "1", TaskKind.Regression);
        Assert.Equal(new[] { 2f, 5f }, data.Targets.data<float>().ToArray());
    }

    [Fact]
    public void Load_FewIntegerTargets_InfersClassificationWithSortedLabelMapping()
    {
        var path = Write("x,y\n0.1,7\n0.2,3\n0.3,7\n0.4,5\n");
        using var data = CsvLoader.Load(path, "y");
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal(ScalarType.Int64, data.Targets.dtype);
        Assert.Equal(new long[] { 2, 0, 2, 1 }, data.Targets.data<long>().ToArray());
        Assert.Equal(new[] { "3", "5", "7" }, data.ClassLabels);
    }

    [Theory]
    [InlineData(20, TaskKind.Classification)]
    [InlineData(21, TaskKind.Regression)]
    public void Load_InfersClassificationUpToTwentyDistinctIntegers(int distinct, TaskKind expected)
    {
        var text = new StringBuilder("x,y\n");
        for (var i = 0; i < distinct; i++) text.Append(CultureInfo.InvariantCulture, $"{i},{i * 2}\n");
        using var data = CsvLoader.Load(Write(text.ToString()), "y");
        Assert.Equal(expected, data.Task);
        Assert.Equal(expected == TaskKind.Classification ? distinct : 0, data.ClassCount);
    }

    [Theory]
    [InlineData("x,y\n1,0\n2,1.5\n")]  // not all integers
    [InlineData("x,y\n1,4\n2,4\n")]    // a single distinct value
    public void Load_TargetThatIsNotClassLike_InfersRegression(string content)
    {
        using var data = CsvLoader.Load(Write(content), "y");
        Assert.Equal(TaskKind.Regression, data.Task);
    }

    [Fact]
    public void Load_ExplicitTask_OverridesInference()
    {
        var path = Write("x,y\n1,0\n2,1\n3,0\n");
        using var regression = CsvLoader.Load(path, "y", TaskKind.Regression);
        Assert.Equal(TaskKind.Regression, regression.Task);
        using var classes = CsvLoader.Load(Write("x,y\n1,b\n2,a\n3,b\n"), "y", TaskKind.Classification);
        Assert.Equal(new long[] { 1, 0, 1 }, classes.Targets.data<long>().ToArray());
        Assert.Equal(new[] { "a", "b" }, classes.ClassLabels);
        var continuous = LoadFails("x,y\n1,0.5\n2,2.5\n", task: TaskKind.Classification);
        Assert.Contains("non-integer numbers", continuous.Problem);
    }

    [Fact]
    public void Load_ClassificationWithOneDistinctValue_Fails()
    {
        var e = LoadFails("x,y\n1,4\n2,4\n", task: TaskKind.Classification);
        Assert.Contains("at least two classes", e.Message);
    }

    [Theory]
    [InlineData("a;b;y\n1;2;3.5\n4;5;6.5\n")]
    [InlineData("a\tb\ty\n1\t2\t3.5\n4\t5\t6.5\n")]
    [InlineData("a,b,y\r\n1,2,3.5\r\n4,5,6.5\r\n")]
    [InlineData("\"a\", \"b\" ,\"y\"\n\"1\",2,\" 3.5\"\n4,\"5\",6.5\n")]
    public void Load_SeparatorsQuotesAndLineEndings_ReadTheSameTable(string content)
    {
        using var data = CsvLoader.Load(Write(content), "y");
        Assert.Equal(new[] { "a", "b" }, data.FeatureNames);
        Assert.Equal(new[] { 1f, 2f, 4f, 5f }, data.Inputs.data<float>().ToArray());
        Assert.Equal(new[] { 3.5f, 6.5f }, data.Targets.data<float>().ToArray());
    }

    [Fact]
    public void Load_QuotedHeaderHoldingSeparator_IsOneColumn()
    {
        using var data = CsvLoader.Load(Write("\"a,b\",\"say \"\"y\"\"\"\n1,2\n3,4.5\n"), "say \"y\"");
        Assert.Equal(new[] { "a,b" }, data.FeatureNames);
        Assert.Equal(new[] { 2f, 4.5f }, data.Targets.data<float>().ToArray());
    }

    [Fact]
    public void Load_UnderACommaDecimalCulture_StillReadsInvariantNumbers()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            using var data = CsvLoader.Load(Write("x,y\n1.5,2.25\n3,4.5\n"), "y");
            Assert.Equal(new[] { 1.5f, 3f }, data.Inputs.data<float>().ToArray());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Load_BlankLines_AreSkippedButCountedInLineNumbers()
    {
        var path = Write("\n\na,y\n1,2.5\n\n  \n3,4.5\n\n5,oops\n");
        var e = Assert.Throws<DataFormatException>(() => CsvLoader.Load(path, "y"));
        Assert.Equal(9, e.Line);
        Assert.Equal(2, e.Column);
        using var ok = CsvLoader.Load(Write("\na,y\n1,2.5\n\n3,4.5\n\n"), "y");
        Assert.Equal(2, ok.Count);
    }

    [Fact]
    public void Load_RowWithTooFewCells_NamesLineAndFirstMissingColumn()
    {
        var e = LoadFails("a,b,c,d,y\n1,2,3,4,5\n1,2,3,4\n");
        Assert.Equal(3, e.Line);
        Assert.Equal(5, e.Column);
        Assert.Contains("expected 5 cells as in the header, found 4", e.Message);
        Assert.StartsWith($"{e.File}:3:5: ", e.Message);
    }

    [Fact]
    public void Load_RowWithTooManyCells_NamesLineAndFirstExtraColumn()
    {
        var e = LoadFails("a,y\n1,2\n3,4\n5,6,7,8\n");
        Assert.Equal(4, e.Line);
        Assert.Equal(3, e.Column);
        Assert.Contains("expected 2 cells as in the header, found 4", e.Message);
    }

    [Fact]
    public void Load_NonNumericCell_QuotesTheCellAndNamesTheColumn()
    {
        var e = LoadFails("alpha,beta,y\n1,2,3\n4,abc,6\n");
        Assert.Equal(3, e.Line);
        Assert.Equal(2, e.Column);
        Assert.Contains("\"beta\"", e.Problem);
        Assert.Contains("\"abc\"", e.Problem);
    }

    [Fact]
    public void Load_EmptyCell_IsAMissingValue_NamingLineColumnAndCount()
    {
        var e = LoadFails("a,b,y\n1,2,3\n4,5,\n4,,1\n");
        Assert.Equal((3, 3), (e.Line, e.Column));
        Assert.Contains("missing a value; 2 rows have missing values", e.Problem);
    }

    [Theory]
    [InlineData("NaN", "missing")]
    [InlineData("Infinity", "finite number")]
    [InlineData("-Infinity", "finite number")]
    [InlineData("1e400", "finite number")]
    public void Load_NaNOrInfiniteCell_IsRejected(string cell, string expected)
    {
        var e = LoadFails($"a,y\n1,2\n{cell},3\n");
        Assert.Equal((3, 1), (e.Line, e.Column));
        Assert.Contains(expected, e.Problem);
    }

    [Fact]
    public void Load_MissingTargetColumn_ListsAvailableColumns()
    {
        var e = LoadFails("\nsize,rooms,price\n1,2,3\n", target: "cost");
        Assert.Equal(2, e.Line);
        Assert.Contains("\"cost\"", e.Problem);
        Assert.Contains("size, rooms, price", e.Problem);
    }

    [Fact]
    public void Load_TargetIndexOutOfRange_Fails()
    {
        var e = LoadFails("a,b\n1,2\n", target: "2");
        Assert.Contains("outside 0..1", e.Problem);
    }

    [Fact]
    public void Load_DuplicateHeaderName_NamesTheSecondOccurrence()
    {
        var e = LoadFails("a,b,a,y\n1,2,3,4\n");
        Assert.Equal((1, 3), (e.Line, e.Column));
        Assert.Contains("\"a\" appears twice (columns 1 and 3)", e.Problem);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\n \n", "empty")]
    [InlineData("a,y\n\n", "no data rows")]
    public void Load_EmptyOrHeaderOnlyFile_Fails(string content, string expected)
    {
        var e = LoadFails(content);
        Assert.Null(e.Line);
        Assert.Contains(expected, e.Problem);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingTheFile()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "absent.csv");
        var e = Assert.Throws<DataFormatException>(() => CsvLoader.Load(path, "y"));
        Assert.Equal(path, e.File);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Load_ThenDispose_LeavesNoLiveTensor()
    {
        var path = Write("x,y\n1,0\n2,1\n3,0\n");
        var before = LiveTensors.Count;
        CsvLoader.Load(path, "y").Dispose();
        CsvLoader.Load(path, "y", TaskKind.Regression).Dispose();
        var single = Write("x,y\n1,4\n2,4\n"); // fails after the input tensor exists
        Assert.Throws<DataFormatException>(() => CsvLoader.Load(single, "y", TaskKind.Classification));
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void Load_FiftyThousandRowsOfTenColumns_IsExact()
    {
        const int rows = 50_000;
        var text = new StringBuilder("c0,c1,c2,c3,c4,c5,c6,c7,c8,y\n");
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < 9; j++) text.Append(CultureInfo.InvariantCulture, $"{r * 0.001 + j:R},");
            text.Append(CultureInfo.InvariantCulture, $"{r * 0.5}\n");
        }
        var path = Write(text.ToString());
        using var data = CsvLoader.Load(path, "y");
        Assert.Equal(new long[] { rows, 9 }, data.Inputs.shape);
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal((float)(49_999 * 0.001 + 8), data.Inputs[rows - 1, 8].item<float>());
        Assert.Equal(24_999.5f, data.Targets[rows - 1, 0].item<float>());
    }
}
