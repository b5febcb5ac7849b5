using System.Globalization;
using Occam.Core;
using Occam.Core.Options;
using Occam.Evaluation;
using Occam.Inference;

namespace Occam.Cli;

/// <summary>
/// The hyperparameter grid of the tuned UCI protocol, read from text such as
/// "prior-precision=0.1,1,10;epochs=40,100;dropout-rate=0.01,0.05,0.1". The axes prior-precision, epochs and lr
/// set the protocol's model (and apply to every method that trains with it, not to the Gaussian processes, which
/// fit their own hyperparameters); any other axis is a method option (its flag name) and applies only to the
/// methods that take it. Each method's candidates are the product of the axes that apply to it.
/// </summary>
internal sealed class TuningGrid
{
    /// <summary>The grid used when --grid is not given.</summary>
    public const string Default = "prior-precision=0.1,1,10;epochs=40,100;dropout-rate=0.01,0.05,0.1";

    private const string PriorPrecision = "prior-precision", Epochs = "epochs", LearningRate = "lr";

    private readonly IReadOnlyList<(string Name, IReadOnlyList<string> Values)> _axes;

    private TuningGrid(IReadOnlyList<(string Name, IReadOnlyList<string> Values)> axes) => _axes = axes;

    /// <summary>Reads <paramref name="text"/>; method-option axes must be flags of some registered method.</summary>
    /// <exception cref="ArgumentException">Malformed text, an unknown or repeated axis, or a bad protocol value (all naming --grid).</exception>
    public static TuningGrid Parse(string text, MethodFlags flags)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(flags);
        var axes = new List<(string, IReadOnlyList<string>)>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--grid: expected NAME=V1,V2,... separated by ';', got '{part}'");
            string name = part[..eq].Trim();
            var values = part[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0) throw new ArgumentException($"--grid: {name} has no values");
            if (values.Distinct(StringComparer.Ordinal).Count() != values.Length) throw new ArgumentException($"--grid: {name} lists a value more than once");
            if (axes.Any(a => a.Item1 == name)) throw new ArgumentException($"--grid: {name} is given more than once");
            if (name is not (PriorPrecision or Epochs or LearningRate) && !flags.IsFlag(name))
                throw new ArgumentException($"--grid: unknown hyperparameter '{name}'; expected {PriorPrecision}, {Epochs}, {LearningRate} or a method option such as dropout-rate");
            foreach (var v in values) CheckProtocolValue(name, v);
            axes.Add((name, values));
        }
        if (axes.Count == 0) throw new ArgumentException("--grid: name at least one hyperparameter, e.g. prior-precision=0.1,1,10");
        return new TuningGrid(axes);
    }

    /// <summary>
    /// The candidate settings of <paramref name="run"/>: one per combination of the axes that apply to its method,
    /// each rebuilt from the method's flags (<paramref name="given"/>, plus the setting's) and the protocol options.
    /// A flag given on the command line and also gridded is refused.
    /// </summary>
    /// <exception cref="ArgumentException">A gridded flag also given, or a grid value the method refuses (naming --grid).</exception>
    public IReadOnlyList<TuningCandidate> Candidates(MethodRun run, UciProtocolOptions options, MethodRegistry registry, MethodFlags flags,
        IReadOnlyDictionary<string, string> given)
    {
        ArgumentNullException.ThrowIfNull(run);
        var labels = string.Join(",", run.Predictions.Select(p => p.Label));
        var entry = registry.Parse(run.Predictions[0].Label).Entry;
        bool trains = entry.DefaultOptions is not IIgnoresTrainingSettings;
        var axes = _axes.Where(a => a.Name is PriorPrecision or Epochs or LearningRate ? trains : entry.Takes(a.Name)).ToList();
        foreach (var (name, _) in axes)
            if (given.ContainsKey(name)) throw new ArgumentException($"--grid tunes {name}; do not also give --{name}");
        var own = given.Where(kv => entry.Takes(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var candidates = new List<TuningCandidate>();
        foreach (var combination in Product(axes))
        {
            var flagValues = new Dictionary<string, string>(own, StringComparer.Ordinal);
            var candidateOptions = options;
            foreach (var (name, value) in combination)
            {
                switch (name)
                {
                    case PriorPrecision: candidateOptions = candidateOptions with { PriorPrecision = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                    case Epochs: candidateOptions = candidateOptions with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) }; break;
                    case LearningRate: candidateOptions = candidateOptions with { LearningRate = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                    default: flagValues[name] = value; break;
                }
            }
            MethodRun rebuilt;
            try
            {
                rebuilt = MethodRuns.Parse(labels, registry, flags, flagValues, new ModelSetup()).Single();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--grid: {e.Message}");
            }
            string setting = combination.Count == 0 ? "as given" : string.Join(", ", combination.Select(c => $"{c.Name}={c.Value}"));
            candidates.Add(new TuningCandidate(setting, rebuilt, candidateOptions));
        }
        return candidates;
    }

    private static List<List<(string Name, string Value)>> Product(IReadOnlyList<(string Name, IReadOnlyList<string> Values)> axes)
    {
        var product = new List<List<(string, string)>> { new() };
        foreach (var (name, values) in axes)
            product = product.SelectMany(prefix => values.Select(v => new List<(string, string)>(prefix) { (name, v) })).ToList();
        return product;
    }

    private static void CheckProtocolValue(string name, string value)
    {
        switch (name)
        {
            case PriorPrecision or LearningRate:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !(d > 0) || double.IsInfinity(d))
                    throw new ArgumentException($"--grid: {name} values must be positive numbers, got '{value}'");
                break;
            case Epochs:
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) || e < 1)
                    throw new ArgumentException($"--grid: {name} values must be positive integers, got '{value}'");
                break;
        }
    }
}
