using System.Globalization;
using Occam.Core;
using Occam.Bench;
using Occam.Reporting;

// Usage: dotnet run -c Release --project bench/Occam.Bench -- speed|laplace|variational|laplace-tuning|gp|sampling|swag|temperature|active|active-speed [--out DIR] [--repeats N] [--threads N] [--mnist DIR] [--train-limit N] [--steps N] [--models uci-mlp,mnist-mlp,lenet]
Occam.Runtime.AllocatorTuning.Apply();
var command = args.FirstOrDefault() ?? "speed";
if (Arg("--threads") is { } threads) TorchSharp.torch.set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));
int repeats = int.Parse(Arg("--repeats") ?? "5", CultureInfo.InvariantCulture);
if (command == "laplace")
{
    string laplaceOut = Arg("--out") ?? Path.Combine("bench-results", "speed-laplace");
    var mnist = Arg("--mnist") ?? Path.Combine("..", "shared", "data", "mnist");
    var laplace = LaplaceSpeedBenchmark.Run(mnist, int.Parse(Arg("--train-limit") ?? "60000", CultureInfo.InvariantCulture), Math.Min(repeats, 3));
    Directory.CreateDirectory(laplaceOut);
    JsonReport.Write(Path.Combine(laplaceOut, "speed-laplace.json"), laplace);
    AtomicFile.WriteAllText(Path.Combine(laplaceOut, "speed-laplace.md"), LaplaceSpeedBenchmark.Markdown(laplace));
    Console.WriteLine(LaplaceSpeedBenchmark.Markdown(laplace));
    return 0;
}
if (command == "variational")
{
    string variationalOut = Arg("--out") ?? Path.Combine("bench-results", "speed-variational");
    var models = (Arg("--models") ?? string.Join(',', VariationalSpeedBenchmark.ModelNames)).Split(',', StringSplitOptions.RemoveEmptyEntries);
    if (models.FirstOrDefault(m => !VariationalSpeedBenchmark.ModelNames.Contains(m)) is { } unknown)
    {
        Console.Error.WriteLine($"error: --models: unknown model '{unknown}'; expected a comma-separated subset of {string.Join(", ", VariationalSpeedBenchmark.ModelNames)}");
        return 2;
    }
    var variational = VariationalSpeedBenchmark.Run(Arg("--mnist") ?? Path.Combine("..", "shared", "data", "mnist"), repeats, int.Parse(Arg("--steps") ?? "3000", CultureInfo.InvariantCulture), models);
    Directory.CreateDirectory(variationalOut);
    JsonReport.Write(Path.Combine(variationalOut, "speed-variational.json"), variational);
    AtomicFile.WriteAllText(Path.Combine(variationalOut, "speed-variational.md"), VariationalSpeedBenchmark.Markdown(variational));
    Console.WriteLine(VariationalSpeedBenchmark.Markdown(variational));
    return 0;
}
if (command == "laplace-tuning")
{
    string tuningOut = Arg("--out") ?? Path.Combine("bench-results", "laplace-tuning");
    var names = (Arg("--variants") ?? string.Join(',', LaplaceTuningBenchmark.All.Select(v => v.Name))).Split(',', StringSplitOptions.RemoveEmptyEntries);
    var unknownVariant = names.FirstOrDefault(n => LaplaceTuningBenchmark.All.All(v => v.Name != n));
    if (unknownVariant is not null)
    {
        Console.Error.WriteLine($"error: --variants: unknown variant '{unknownVariant}'; expected a comma-separated subset of {string.Join(", ", LaplaceTuningBenchmark.All.Select(v => v.Name))}");
        return 2;
    }
    var variants = names.Select(n => LaplaceTuningBenchmark.All.First(v => v.Name == n)).ToList();
    var datasets = (Arg("--datasets") ?? "yacht,bostonHousing").Split(',', StringSplitOptions.RemoveEmptyEntries);
    int? splitCount = Arg("--splits") is { } sc ? int.Parse(sc, CultureInfo.InvariantCulture) : null;
    var tuning = LaplaceTuningBenchmark.Run(Arg("--data-dir") ?? Path.Combine("..", "shared", "data", "uci"), datasets, splitCount, variants, Console.WriteLine);
    Directory.CreateDirectory(tuningOut);
    JsonReport.Write(Path.Combine(tuningOut, "laplace-tuning.json"), tuning);
    AtomicFile.WriteAllText(Path.Combine(tuningOut, "laplace-tuning.md"), LaplaceTuningBenchmark.Markdown(tuning));
    Console.WriteLine(LaplaceTuningBenchmark.Markdown(tuning));
    return 0;
}
if (command == "temperature") return TemperatureBenchmark.RunAndReport(Arg);
if (command == "active") return ActiveLearningBenchmark.Run(Arg);
if (command == "active-speed") return ActiveScoringSpeed.RunAndReport(Arg);
if (command == "gp") return GpSpeedBenchmark.RunAndReport(Arg("--out") ?? Path.Combine("bench-results", "speed-gp"), repeats);
if (command == "sampling") return SamplingSpeedBenchmark.Execute(Arg("--out") ?? Path.Combine("bench-results", "speed-sampling"), repeats, int.Parse(Arg("--epochs") ?? "40", CultureInfo.InvariantCulture));
if (command == "swag") return SwagSpeedBenchmark.RunAndReport(Arg("--out") ?? Path.Combine("bench-results", "speed-swag"), Arg("--mnist") ?? Path.Combine("..", "shared", "data", "mnist"), repeats);
if (command != "speed")
{
    Console.Error.WriteLine($"error: unknown benchmark '{command}'; expected: speed, laplace, variational, laplace-tuning, gp, sampling, swag, temperature, active or active-speed");
    return 2;
}
string outDir = Arg("--out") ?? Path.Combine("bench-results", "speed");
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
