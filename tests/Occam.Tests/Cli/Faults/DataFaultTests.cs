using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli.Faults;

/// <summary>Bad data files given to <c>fit</c>: each is refused with one line naming the file, line and column, exit 2, and the previous output folder unchanged.</summary>
public sealed class DataFaultTests
{
    public static TheoryData<string, string, string[], string[]> Cases => new()
    {
        { "ragged row", "a,b,y\n1,2,3\n4,5\n", [], [":3:3:", "expected 3 cells"] },
        { "text in a numeric column", "a,b,y\n1,2,3\n4,abc,6\n5,6,7\n", [], [":3:2:", "\"abc\""] },
        { "NaN cell", "a,y\n1,2\nNaN,3\n", [], [":3:1:", "missing a value; 1 row has missing values"] },
        { "infinite cell", "a,y\n1,2\n1e400,3\n", [], [":3:1:", "finite number"] },
        { "empty file", "", [], ["empty"] },
        { "header only", "a,y\n\n", [], ["no data rows"] },
        { "duplicate column names", "a,b,a,y\n1,2,3,4\n", [], [":1:3:", "appears twice"] },
        { "unknown target", "a,b\n1,2\n", ["--target", "c"], ["target column \"c\" not found", "available columns: a, b"] },
        { "target index out of range", "a,b\n1,2\n", ["--target", "7"], ["outside 0..1"] },
        { "one class", "a,y\n1,4\n2,4\n", ["--task", "classification"], ["at least two classes"] },
        { "classification of a continuous target", "a,y\n1,0.5\n2,2.5\n3,1.5\n", ["--task", "classification"], ["non-integer numbers"] },
        { "target mixing numbers and text", "a,y\n1,2.5\n2,3.5\n3,oops\n", [], [":4:2:", "mixes numbers and text"] },
        { "missing values refused", "a,b,y\n1,,3\n4,5,NA\n6,7,8\n", [], [":2:2:", "2 rows have missing values"] },
        { "every row dropped", "a,y\n,1\n2,\n", ["--missing", "drop-rows"], ["no data rows remain"] },
        { "unknown dropped column", "a,b,y\n1,2,3\n4,5,6\n", ["--drop", "c"], ["dropped column \"c\" not found"] },
        { "unknown feature column", "a,b,y\n1,2,3\n4,5,6\n", ["--features", "a,z"], ["feature column \"z\" not found"] },
        { "unknown categorical column", "a,b,y\n1,2,3\n4,5,6\n", ["--categorical", "q"], ["categorical column \"q\" is not a feature column"] },
        { "text column with categorical none", "a,b,y\nx,2,3\nz,5,6\n", ["--categorical", "none"], [":2:1:", "\"x\""] },
    };

    [Theory, MemberData(nameof(Cases))]
    public void BadCsv_IsRefusedNamingFileLineAndColumn(string name, string content, string[] extra, string[] expected)
    {
        var csv = Write(content);
        var (previous, snapshot) = PreviousOutput();
        string[] args = ["fit", "--data", csv, "--method", "map", "--epochs", "1", "--out", previous, .. extra.Contains("--target") ? [] : new[] { "--target", "y" }, .. extra];
        var result = Run(args);
        AssertRefused(result, CliApp.BadInput, [csv, .. expected]);
        AssertUnchanged(previous, snapshot);
        Assert.NotNull(name);
    }

    [Fact]
    public void BinaryFile_IsRefusedAsNotText()
    {
        var path = WriteBytes([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x0a, 0x1a, 0x0a, 0], "image.csv");
        AssertRefused(Run(["fit", "--data", path, "--target", "y", "--method", "map"]), CliApp.BadInput, path, "binary data");
    }

    [Fact]
    public void MissingFile_AndAFolderOfNeitherKind_AreNamed()
    {
        var missing = Path.Combine(TestPaths.NewTempDirectory(), "absent.csv");
        AssertRefused(Run(["fit", "--data", missing, "--target", "y", "--method", "map"]), CliApp.BadInput, missing, "not found");
        var folder = TestPaths.NewTempDirectory();
        AssertRefused(Run(["fit", "--data", folder, "--method", "map"]), CliApp.BadInput, folder, "neither a UCI benchmark");
    }

    [Fact]
    public void TruncatedIdx_WrongMagic_AndAnOutOfRangeLabel_NameTheFile()
    {
        var source = Path.Combine(TestPaths.SharedData, "mnist");
        var folder = TestPaths.NewTempDirectory();
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var images = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        var labels = Path.Combine(folder, "train-labels-idx1-ubyte.gz");

        var gzip = File.ReadAllBytes(images);
        File.WriteAllBytes(images, gzip[..(gzip.Length / 3)]);
        AssertRefused(Run(["fit", "--data", folder, "--method", "map", "--hidden", "lenet", "--limit", "60000"]), CliApp.BadInput, images);

        File.Copy(Path.Combine(source, "train-images-idx3-ubyte.gz"), images, overwrite: true);
        File.WriteAllBytes(labels, Gzip([0, 0, 8, 3, 0, 0, 0, 1, 5])); // images' magic on the labels file
        AssertRefused(Run(["fit", "--data", folder, "--method", "map", "--limit", "1"]), CliApp.BadInput, labels, "magic");

        var digits = new byte[8 + 60000];
        digits[2] = 8;
        digits[3] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(digits.AsSpan(4), 60000);
        digits[8 + 1] = 200; // the second label
        File.WriteAllBytes(labels, Gzip(digits));
        AssertRefused(Run(["fit", "--data", folder, "--method", "map", "--limit", "2"]), CliApp.BadInput, labels, "label 1 is 200; expected digits 0..9");
    }

    [Fact]
    public void UciIndexOutOfRange_NamesTheIndexFile()
    {
        var source = Path.Combine(TestPaths.SharedData, "uci", "yacht");
        var folder = Path.Combine(TestPaths.NewTempDirectory(), "yacht");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var index = Path.Combine(folder, "index_train_0.txt");
        File.AppendAllText(index, "99999\n");
        AssertRefused(Run(["fit", "--data", folder, "--method", "map", "--epochs", "1"]), CliApp.BadInput, index);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest)) zip.Write(bytes);
        return buffer.ToArray();
    }
}
