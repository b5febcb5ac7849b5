using Occam.Reporting;

namespace Occam.Tests.Reporting;

public sealed class MarkdownTableTests
{
    [Fact]
    public void ToString_PadsColumnsAndRightAlignsNumbers()
    {
        var table = new MarkdownTable(["dataset", "test LL", "n"], rightAligned: [false, true, true]);
        table.AddRow("boston", "-2.41 ± 0.25", "506").AddRow("yacht", "-0.50 ± 0.10", "308");

        const string expected =
            "| dataset |      test LL |   n |\n" +
            "| ------- | -----------: | --: |\n" +
            "| boston  | -2.41 ± 0.25 | 506 |\n" +
            "| yacht   | -0.50 ± 0.10 | 308 |\n";
        Assert.Equal(expected, table.ToString());
    }

    [Fact]
    public void ToString_DefaultsToLeftAlignmentAndMinimumWidthThree()
    {
        var table = new MarkdownTable(["a", "b"], [["x", "yy"]]);
        Assert.Equal(
            "| a   | b   |\n" +
            "| --- | --- |\n" +
            "| x   | yy  |\n",
            table.ToString());
        Assert.Equal(1, table.RowCount);
        Assert.Equal(2, table.ColumnCount);
    }

    [Fact]
    public void ToString_EscapesPipesAndFlattensLineBreaks()
    {
        var table = new MarkdownTable(["method"]);
        table.AddRow("a|b\nc");
        Assert.Equal("| method |\n| ------ |\n| a\\|b c |\n", table.ToString());
    }

    [Fact]
    public void ToString_HeaderOnlyTable()
    {
        Assert.Equal("| h   |\n| --- |\n", new MarkdownTable(["h"]).ToString());
    }

    [Fact]
    public void AddRow_WrongCellCount_ThrowsNamingCells()
    {
        var table = new MarkdownTable(["a", "b"]);
        var error = Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
        Assert.Equal("cells", error.ParamName);
    }

    [Fact]
    public void Constructor_AlignmentCountMismatch_ThrowsNamingRightAligned()
    {
        var error = Assert.Throws<ArgumentException>(() => new MarkdownTable(["a", "b"], [true]));
        Assert.Equal("rightAligned", error.ParamName);
        Assert.Equal("headers", Assert.Throws<ArgumentException>(() => new MarkdownTable([])).ParamName);
    }
}
