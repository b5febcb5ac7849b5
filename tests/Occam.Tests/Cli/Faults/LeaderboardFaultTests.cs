using Occam.Cli;
using static Occam.Tests.Cli.Faults.CliHarness;

namespace Occam.Tests.Cli.Faults;

/// <summary>Bad results files given to <c>bench leaderboard</c>: each is refused with one line naming the file, exit 2, and the previous output folder unchanged.</summary>
public sealed class LeaderboardFaultTests
{
    private const string GoodRow = """{"dataset": "yacht", "method": "map", "splits": 20, "test_ll_mean": -2.0, "test_ll_se": 0.1, "rmse_mean": 1.4, "rmse_se": 0.1, "coverage95_mean": 0.9, "seconds": 3.0}""";

    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "malformed JSON", "[{\"dataset\": \"yacht\", ", ["not valid JSON", "expected the JSON array of rows that occam bench uci writes"] },
        { "empty array", "[]", ["holds no rows"] },
        { "an object, as fit writes", "{\"results\": []}", ["holds a JSON object", "expected the JSON array"] },
        { "a row that is a number", "[3]", ["row 1 is a JSON number"] },
        { "a missing field", $"[{GoodRow}, {GoodRow.Replace("\"test_ll_se\": 0.1, ", "")}]", ["row 2 has no \"test_ll_se\""] },
        { "text for a number", $"[{GoodRow.Replace("-2.0", "\"-2.0\"")}]", ["row 1: \"test_ll_mean\" is \"-2.0\"; expected a number or null"] },
        { "no splits", $"[{GoodRow.Replace("\"splits\": 20", "\"splits\": 0")}]", ["row 1: \"splits\" is 0; expected a positive integer"] },
        { "an empty method", $"[{GoodRow.Replace("\"map\"", "\"\"")}]", ["row 1: \"method\" is \"\"; expected a non-empty text"] },
        { "a negative standard error", $"[{GoodRow.Replace("\"test_ll_se\": 0.1", "\"test_ll_se\": -0.1")}]", ["\"test_ll_se\" is -0.1; expected a standard error, at least 0"] },
    };

    [Theory, MemberData(nameof(Cases))]
    public void BadResultsFile_IsRefusedNamingIt_AndTheOutputIsUntouched(string name, string content, string[] expected)
    {
        var good = Write($"[{GoodRow}]", "results.json");
        var bad = Write(content, "results.json");
        var (previous, snapshot) = PreviousOutput();
        var result = Run(["bench", "leaderboard", "--results", $"{good},{bad}", "--out", previous]);
        AssertRefused(result, CliApp.BadInput, [bad, .. expected]);
        AssertUnchanged(previous, snapshot);
        Assert.NotNull(name);
    }

    [Fact]
    public void MissingPath_IsRefusedNamingIt()
    {
        var missing = Path.Combine(TestPaths.NewTempDirectory(), "absent", "results.json");
        var (previous, snapshot) = PreviousOutput();
        AssertRefused(Run(["bench", "leaderboard", "--results", missing, "--out", previous]), CliApp.BadInput, missing, "not found");
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void AFolderWithoutResults_IsRefusedNamingIt()
    {
        var folder = TestPaths.NewTempDirectory();
        var (previous, snapshot) = PreviousOutput();
        AssertRefused(Run(["bench", "leaderboard", "--results", folder, "--out", previous]), CliApp.BadInput, folder, "is a folder without results.json");
        AssertUnchanged(previous, snapshot);
    }

    [Fact]
    public void AnEmptyEntryInTheList_IsRefusedNamingTheOption()
    {
        var good = Write($"[{GoodRow}]", "results.json");
        var (previous, snapshot) = PreviousOutput();
        AssertRefused(Run(["bench", "leaderboard", "--results", $"{good},,{good}", "--out", previous]), CliApp.BadInput, "--results", "without empty entries");
        AssertUnchanged(previous, snapshot);
    }
}
