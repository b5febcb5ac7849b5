using System.Globalization;
using Occam.Bench;
using Occam.Reporting;

// Usage: dotnet run -c Release --project bench/Occam.Bench -- speed [--out DIR] [--repeats N]
var command = args.FirstOrDefault() ?? "speed";
string outDir = Arg("--out") ?? Path.Combine("bench-results", "speed");
int repeats = int.Parse(Arg("--repeats") ?? "5", CultureInfo.InvariantCulture);
if (command != "speed")
{
    Console.Error.WriteLine($"error: unknown benchmark '{command}'; expected: speed");
    return 2;
}
var result = SpeedBenchmark.Run(repeats);
Directory.CreateDirectory(outDir);
JsonReport.Write(Path.Combine(outDir, "speed.json"), result);
AtomicFile.WriteAllText(Path.Combine(outDir, "speed.md"), SpeedBenchmark.Markdown(result));
Console.WriteLine(SpeedBenchmark.Markdown(result));
return 0;

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
