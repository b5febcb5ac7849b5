using System.CommandLine;
using Occam.Core;
using Occam.Core.Options;
using Occam.Data;
using Occam.Inference;

namespace Occam.Cli;

/// <summary>What a <c>fit</c> command line asks for once its options are read and checked.</summary>
/// <param name="Selection">The method and its label (NAME@mean predicts at the mean).</param>
/// <param name="Options">The method's options with the given flags.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Device">The torch device.</param>
internal sealed record FitRequest(MethodSelection Selection, IMethodOptions Options, long Seed, TorchSharp.torch.Device Device);

/// <summary>
/// The options of <c>occam fit</c>, shared by <c>fit</c> itself and by <c>plan fit</c>, <c>work</c> and
/// <c>combine</c>, which read a planned fit's arguments again.
/// </summary>
internal sealed class FitArguments
{
    private readonly CliEnvironment _env;
    private readonly CommonOptions _common;

    public FitArguments(CliEnvironment env, CommonOptions common)
    {
        _env = env;
        _common = common;
        Method = new Option<string>("--method") { Description = $"Inference method: {string.Join(", ", env.Registry.Names)} (see occam methods); NAME@mean scores at the posterior mean", Required = true };
    }

    public Option<string> Data { get; } = new("--data") { Description = "A .csv file, a UCI benchmark folder (data.txt + splits) or a folder of MNIST-style IDX files", Required = true };

    public Option<string> Method { get; }

    public Option<int> Split { get; } = new("--split") { Description = "UCI: which fixed split to use", DefaultValueFactory = _ => 0 };

    public Option<double> TestFraction { get; } = new("--test-fraction") { Description = "CSV: fraction of rows held out for testing (0 = none)", DefaultValueFactory = _ => 0.1 };

    public Option<int?> Limit { get; } = new("--limit") { Description = "IDX: use at most this many training images" };

    public Option<string> Output { get; } = new("--out") { Description = "Output folder: model/, results.json, results.md, plots (replaced only when the run succeeds)", DefaultValueFactory = _ => "occam-out" };

    public Option<OutputFormat> Format { get; } = ResultsOutput.FormatOption();

    public TableFlags Table { get; } = new();

    public ModelOptions Model { get; } = new();

    /// <summary>Adds every fit option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Data, Method, Split, TestFraction, Limit, Output, Format }.Concat(Table.All).Concat(Model.All).Concat(_env.MethodFlags.All))
            command.Options.Add(o);
    }

    /// <summary>The method, its options, the seed and the device, checked.</summary>
    public FitRequest Read(ParseResult parsed)
    {
        var device = CommonOptions.ParseDevice(parsed.GetValue(_common.Device)!);
        var selection = _env.Registry.Parse(parsed.GetValue(Method)!);
        var options = _env.MethodFlags.Bind([selection.Entry], _env.MethodFlags.Given(parsed))[0];
        return new FitRequest(selection, options, parsed.GetValue(_common.Seed), device);
    }

    /// <summary>The training set and, when there is one, the test set (the caller disposes both).</summary>
    public (Dataset Train, Dataset? Test) LoadData(ParseResult parsed, long seed) =>
        DataSource.ForFit(parsed.GetValue(Data)!, parsed, Table, Split, TestFraction, Limit, seed);

    /// <summary>The method of <paramref name="request"/> on the model the options describe for the training data <paramref name="train"/> (its task and input shape).</summary>
    public IPosteriorMethod CreateMethod(ParseResult parsed, FitRequest request, Dataset train) =>
        request.Selection.Entry.Create(Model.Setup(parsed, train.Task, train.InputShape), request.Options);
}
