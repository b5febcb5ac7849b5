using System.Globalization;
using Occam.Data;
using static TorchSharp.torch;

namespace Occam.Tests.Data;

public sealed class UciBenchmarkTests
{
    private static string Uci(string name) => Path.Combine(TestPaths.SharedData, "uci", name);

    [Fact]
    public void Load_Yacht_HasTheDocumentedShapeAndProtocol()
    {
        using var yacht = UciBenchmark.Load(Uci("yacht"));
        Assert.Equal("yacht", yacht.Name);
        Assert.Equal(308, yacht.RowCount);
        Assert.Equal(6, yacht.FeatureCount);
        Assert.Equal(6, yacht.TargetColumn);
        Assert.Equal(20, yacht.SplitCount);
        Assert.Equal(50, yacht.HiddenUnits);
        Assert.Equal(40, yacht.Epochs);
        Assert.Equal(new[] { 0.005, 0.01, 0.05, 0.1 }, yacht.DropoutRates);
        Assert.Equal(new[] { 0.25, 0.5, 0.75 }, yacht.TauValues);

        var (train, test) = yacht.Split(0);
        using (train)
        using (test)
        {
            Assert.Equal(TaskKind.Regression, train.Task);
            Assert.Equal(new long[] { 277, 6 }, train.Inputs.shape);
            Assert.Equal(new long[] { 277, 1 }, train.Targets.shape);
            Assert.Equal(new long[] { 31, 6 }, test.Inputs.shape);
            Assert.Equal(new long[] { 31, 1 }, test.Targets.shape);
            Assert.Equal(ScalarType.Float32, test.Targets.dtype);
        }
    }

    [Theory]
    [InlineData("bostonHousing", 506, 13, 20, 455, 51)]
    [InlineData("protein-tertiary-structure", 45730, 9, 5, 41157, 4573)]
    public void Load_OtherDatasets_HaveTheDocumentedSizes(string name, int rows, int features, int splits, int trainRows, int testRows)
    {
        using var benchmark = UciBenchmark.Load(Uci(name));
        Assert.Equal((rows, features, splits), (benchmark.RowCount, benchmark.FeatureCount, benchmark.SplitCount));
        var (train, test) = benchmark.SplitIndices(splits - 1);
        Assert.Equal((trainRows, testRows), (train.Length, test.Length));
    }

    [Fact]
    public void Splits_Yacht_AreDisjointAndCoverEveryRow()
    {
        using var yacht = UciBenchmark.Load(Uci("yacht"));
        for (var i = 0; i < yacht.SplitCount; i++)
        {
            var (train, test) = yacht.SplitIndices(i);
            Assert.Empty(train.Intersect(test));
            Assert.Equal(Enumerable.Range(0, 308).Select(r => (long)r), train.Concat(test).Order());
        }
    }

    [Fact]
    public void Split_Yacht_HoldsTheRawRowsOfDataFile()
    {
        var rows = File.ReadAllLines(Path.Combine(Uci("yacht"), "data.txt"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => float.Parse(t, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        using var yacht = UciBenchmark.Load(Uci("yacht"));
        var (trainRows, testRows) = yacht.SplitIndices(3);
        var (train, test) = yacht.Split(3);
        using (train)
        using (test)
        {
            foreach (var (data, index) in new[] { (train, trainRows), (test, testRows) })
            {
                var x = data.Inputs.data<float>().ToArray();
                var y = data.Targets.data<float>().ToArray();
                for (var k = 0; k < index.Length; k++)
                {
                    Assert.Equal(rows[index[k]][..6], x.AsSpan(6 * k, 6).ToArray());
                    Assert.Equal(rows[index[k]][6], y[k]);
                }
            }
        }
    }

    [Fact]
    public void Split_IndexOutsideSplitCount_Throws()
    {
        using var benchmark = UciBenchmark.Load(WriteFolder());
        Assert.Throws<ArgumentOutOfRangeException>(() => benchmark.Split(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => benchmark.Split(-1));
    }

    [Fact]
    public void Split_AfterDispose_Throws()
    {
        var benchmark = UciBenchmark.Load(WriteFolder());
        benchmark.Dispose();
        benchmark.Dispose();
        Assert.Throws<ObjectDisposedException>(() => benchmark.Split(0));
    }

    [Fact]
    public void Load_SmallFolder_ReadsAnyWhitespaceAndSkipsEmptyLines()
    {
        using var benchmark = UciBenchmark.Load(WriteFolder());
        Assert.Equal(4, benchmark.RowCount);
        Assert.Equal(new[] { 0, 2 }, benchmark.FeatureColumns);
        Assert.Empty(benchmark.TauValues);
        var (train, test) = benchmark.Split(1);
        using (train)
        using (test)
        {
            Assert.Equal(new[] { 40f, 42f, 10f, 12f }, train.Inputs.data<float>().ToArray());
            Assert.Equal(new[] { 41f, 11f }, train.Targets.data<float>().ToArray());
            Assert.Equal(new[] { 21f, 31f }, test.Targets.data<float>().ToArray());
        }
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var dir = WriteFolder();
        File.Delete(Path.Combine(dir, "n_hidden.txt"));
        var e = Assert.Throws<DataFormatException>(() => UciBenchmark.Load(dir));
        Assert.Equal(Path.Combine(dir, "n_hidden.txt"), e.File);
        Assert.Contains("not found", e.Problem);
    }

    [Fact]
    public void Load_BadNumberInData_NamesFileLineAndColumn()
    {
        var dir = WriteFolder(data: "10 11 12\n\n20 2x1 22\n30 31 32\n40 41 42\n");
        var e = Assert.Throws<DataFormatException>(() => UciBenchmark.Load(dir));
        Assert.Equal(Path.Combine(dir, "data.txt"), e.File);
        Assert.Equal((3, 2), (e.Line, e.Column));
        Assert.Contains("\"2x1\"", e.Problem);
    }

    [Fact]
    public void Load_RaggedDataRow_NamesFileLineAndColumn()
    {
        var dir = WriteFolder(data: "10 11 12\n20 21\n30 31 32\n40 41 42\n");
        var e = Assert.Throws<DataFormatException>(() => UciBenchmark.Load(dir));
        Assert.Equal((2, 3), (e.Line, e.Column));
        Assert.Contains("expected 3 numbers", e.Problem);
    }

    [Fact]
    public void Load_RowIndexOutOfRange_NamesFileAndLine()
    {
        var dir = WriteFolder();
        File.WriteAllText(Path.Combine(dir, "index_test_1.txt"), "2\n4\n");
        var e = Assert.Throws<DataFormatException>(() => UciBenchmark.Load(dir));
        Assert.Equal(Path.Combine(dir, "index_test_1.txt"), e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("row index 4 is outside 0..3", e.Problem);
    }

    [Fact]
    public void Load_RowInBothTrainAndTest_NamesFileAndLine()
    {
        var dir = WriteFolder();
        File.WriteAllText(Path.Combine(dir, "index_test_0.txt"), "3\n1\n");
        var e = Assert.Throws<DataFormatException>(() => UciBenchmark.Load(dir));
        Assert.Equal(Path.Combine(dir, "index_test_0.txt"), e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("index_train_0.txt at line 2", e.Problem);
    }

    [Fact]
    public void Load_FeatureColumnOutOfRange_NamesFileAndLine()
    {
        var dir = WriteFolder();
        File.WriteAllText(Path.Combine(dir, "index_features.txt"), "0\n3\n");
        var e = Assert.Throws<DataFormatException>(() => UciBenchmark.Load(dir));
        Assert.Equal(Path.Combine(dir, "index_features.txt"), e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("column index 3 is outside 0..2", e.Problem);
    }

    [Fact]
    public void LoadAndSplit_ThenDispose_LeavesNoLiveTensor()
    {
        var dir = WriteFolder();
        var before = LiveTensors.Count;
        using (var benchmark = UciBenchmark.Load(dir))
        {
            var (train, test) = benchmark.Split(0);
            train.Dispose();
            test.Dispose();
        }
        Assert.Equal(before, LiveTensors.Count);
    }

    /// <summary>A valid 4-row, 3-column benchmark folder with 2 splits; target column 1.</summary>
    private static string WriteFolder(string data = " 10\t11  12 \n20 21 22\n\n30 31 32\n40 41 42\n\n")
    {
        var dir = TestPaths.NewTempDirectory();
        void Put(string file, string text) => File.WriteAllText(Path.Combine(dir, file), text);
        Put("data.txt", data);
        Put("index_features.txt", "0\n2\n");
        Put("index_target.txt", "1\n");
        Put("index_train_0.txt", "0\n1\n2\n");
        Put("index_test_0.txt", "3\n");
        Put("index_train_1.txt", "3\n0\n");
        Put("index_test_1.txt", "1\n2\n");
        Put("n_splits.txt", "2\n");
        Put("n_hidden.txt", "50\n");
        Put("n_epochs.txt", "40\n");
        return dir;
    }
}
