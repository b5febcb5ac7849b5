using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Occam.Tests.Readme;

/// <summary>The README's C# example is this project's <c>ReadmeExample.cs</c>, character for character, and it runs.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_IsTheCompiledFile()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var block = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no csharp block");
        var source = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "Occam.Tests", "Readme", "ReadmeExample.cs"));
        Assert.Equal(source.Replace("\r\n", "\n").Trim(), block.Groups[1].Value.Replace("\r\n", "\n").Trim());
    }

    [Fact]
    public void ReadmeExample_Runs()
    {
        var dir = TestPaths.NewTempDirectory();
        var csv = Path.Combine(dir, "houses.csv");
        var rng = new Random(3);
        var text = new StringBuilder("rooms,area,price\n");
        for (int i = 0; i < 120; i++)
        {
            double rooms = rng.Next(1, 7), area = 30 + 20 * rooms + 10 * rng.NextDouble();
            text.AppendLine(FormattableString.Invariant($"{rooms},{area:F1},{50 + 3 * area + 20 * rng.NextDouble():F1}"));
        }
        File.WriteAllText(csv, text.ToString());
        double testLogLikelihood = ReadmeExample.Run(csv, Path.Combine(dir, "model"));
        Assert.True(double.IsFinite(testLogLikelihood), testLogLikelihood.ToString(CultureInfo.InvariantCulture));
    }
}
