using System.ComponentModel;
using Occam.Core;
using Occam.Core.Options;
using Occam.Inference.Laplace;

namespace Occam.Tests.Core;

public sealed class OptionBinderTests
{
    private enum Colour { Red, DarkBlue, [OptionAlias("g")] Green }

    private sealed record Knobs : IMethodOptions
    {
        [Description("how many")] public int Count { get; init; } = 3;
        public double Rate { get; init; } = 0.5;
        public bool Flag { get; init; }
        public Colour Colour { get; init; } = Colour.Red;
        public long[]? Indices { get; init; }
        public double? Maybe { get; init; }
        [OptionName("other-name")] public string Text { get; init; } = "x";
        [OptionIgnore] public int Hidden { get; init; } = 7;

        public void Validate()
        {
            if (Count < 1) throw new ArgumentException($"Count must be at least 1; got {Count}.", nameof(Count));
        }
    }

    [Fact]
    public void Describe_ListsEveryBindableProperty_InKebabCase_WithDefaults()
    {
        var options = OptionBinder.Describe(new Knobs());
        Assert.Equal(["count", "rate", "flag", "colour", "indices", "maybe", "other-name"], options.Select(o => o.Name));
        Assert.Equal("how many", options[0].Description);
        Assert.Equal(["3", "0.5", "false", "red", "none", "none", "x"], options.Select(o => o.Default));
        Assert.Equal(["red", "dark-blue", "green"], options[3].Choices);
    }

    [Fact]
    public void Bind_ParsesEachType_AndLeavesTheRestAtTheirDefaults()
    {
        var bound = OptionBinder.Bind(new Knobs(), new Dictionary<string, string>
        {
            ["count"] = "5", ["rate"] = "1e-3", ["flag"] = "", ["colour"] = "dark-blue", ["indices"] = "3,1,2", ["maybe"] = "inf", ["other-name"] = "hello",
        });
        Assert.Equal(new Knobs { Count = 5, Rate = 1e-3, Flag = true, Colour = Colour.DarkBlue, Indices = bound.Indices, Maybe = double.PositiveInfinity, Text = "hello" }, bound);
        Assert.Equal([3L, 1, 2], bound.Indices!);
        Assert.Equal(Colour.Green, OptionBinder.Bind(new Knobs(), new Dictionary<string, string> { ["colour"] = "G" }).Colour);
        Assert.Equal(Colour.DarkBlue, OptionBinder.Bind(new Knobs(), new Dictionary<string, string> { ["colour"] = "darkblue" }).Colour);
    }

    [Theory]
    [InlineData("count", "two", "count expects an integer")]
    [InlineData("rate", "nan", "rate expects a number")]
    [InlineData("colour", "purple", "colour expects one of red, dark-blue, green")]
    [InlineData("hidden", "1", "unknown option 'hidden'")]
    public void Bind_RefusesBadValuesAndUnknownNames_NamingTheOption(string name, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => OptionBinder.Bind(new Knobs(), new Dictionary<string, string> { [name] = value }));
        Assert.StartsWith(message, e.Message);
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void MethodEntry_Validates_AndReportsTheOptionName()
    {
        var entry = MethodRegistry.Default.Find("laplace")!;
        var options = Assert.IsType<LaplaceOptions>(entry.Bind(new Dictionary<string, string> { ["hessian"] = "diag", ["subset"] = "all", ["curvature"] = "ef" }));
        Assert.Equal((HessianStructure.Diagonal, WeightSubset.All, CurvatureKind.EmpiricalFisher), (options.Structure, options.Subset, options.Curvature));
        var e = Assert.Throws<ArgumentException>(() => entry.Bind(new Dictionary<string, string> { ["hessian"] = "kron", ["subset"] = "subnetwork" }));
        Assert.Equal("hessian", e.ParamName);
        Assert.DoesNotContain("--", e.Message);
    }

    [Fact]
    public void Registry_ParsesAtMean_AndListsTheKnownNamesForAnUnknownOne()
    {
        var selection = MethodRegistry.Default.Parse("IVON@mean");
        Assert.Equal(("ivon", true, "IVON@mean"), (selection.Entry.Name, selection.AtMean, selection.Label));
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Default.Parse("bogus"));
        Assert.Contains("bogus", e.Message);
        Assert.Contains("ensemble", e.Message);
    }
}
