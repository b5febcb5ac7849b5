using Occam.Cli;

namespace Occam.Tests.Cli;

/// <summary>Help and usage lines name the command as users type it (the .NET tool installs it as <c>occam</c>), whatever the host process is called.</summary>
public sealed class CommandNameTests
{
    [Fact]
    public void Help_UsageLine_SaysOccam()
    {
        var output = new StringWriter();
        int code = CliApp.Run(["--help"], output, TextWriter.Null);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output.ToString());
        Assert.Contains("occam [command] [options]", output.ToString());
        Assert.DoesNotContain("Occam.Cli", output.ToString());
    }

    [Fact]
    public void SubcommandHelp_UsageLine_StartsWithOccam()
    {
        var output = new StringWriter();
        int code = CliApp.Run(["demo", "--help"], output, TextWriter.Null);
        Assert.Equal(0, code);
        Assert.Contains("occam demo [options]", output.ToString());
    }

    [Fact]
    public void Version_IsAnOption()
    {
        var output = new StringWriter();
        int code = CliApp.Run(["--version"], output, TextWriter.Null);
        Assert.Equal(0, code);
        Assert.False(string.IsNullOrWhiteSpace(output.ToString()));
    }
}
