using Occam.Cli.Commands;
using Occam.Reporting;
using Spectre.Console;

namespace Occam.Cli;

/// <summary>Prints one result table to the console in the format the user chose: JSON, Markdown, or a titled table with a line under it.</summary>
internal static class FormattedPrint
{
    /// <summary>Writes <paramref name="json"/>, <paramref name="markdown"/>, or a table of <paramref name="rows"/> under <paramref name="headers"/> titled <paramref name="title"/> followed by <paramref name="footer"/>.</summary>
    public static void Table(CliEnvironment env, OutputFormat format, string json, MarkdownTable markdown, string title,
        IReadOnlyList<string> headers, IEnumerable<string[]> rows, string footer) =>
        Table(env, format, json, markdown, title, headers, rows, console => console.MarkupLine(Markup.Escape(footer)));

    /// <summary>As above, with <paramref name="after"/> writing what follows the table (table format only).</summary>
    public static void Table(CliEnvironment env, OutputFormat format, string json, MarkdownTable markdown, string title,
        IReadOnlyList<string> headers, IEnumerable<string[]> rows, Action<IAnsiConsole> after)
    {
        switch (format)
        {
            case OutputFormat.Json:
                env.Console.Profile.Out.Writer.WriteLine(json);
                return;
            case OutputFormat.Markdown:
                env.Console.Profile.Out.Writer.WriteLine(markdown.ToString());
                return;
            default:
                var table = new Table().Title(title);
                foreach (var h in headers) table.AddColumn(new TableColumn(Markup.Escape(h)).RightAligned());
                foreach (var r in rows) table.AddRow(r.Select(Markup.Escape).ToArray());
                env.Console.Write(table);
                after(env.Console);
                return;
        }
    }
}
