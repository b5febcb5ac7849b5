using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Data;

/// <summary>
/// Per-column affine standardisation fitted on a training split only: x' = (x − mean) / sd for
/// vector inputs and, for regression, y' = (y − mean) / sd for targets. Columns with zero spread
/// keep sd = 1. Stored with a fitted model so predictions come back in the original units.
/// </summary>
/// <param name="InputMean">Per-feature means (empty when inputs are not standardised, e.g. images).</param>
/// <param name="InputSd">Per-feature standard deviations (population, ddof = 0).</param>
/// <param name="TargetMean">Per-target means (empty for classification).</param>
/// <param name="TargetSd">Per-target standard deviations.</param>
public sealed record Standardiser(double[] InputMean, double[] InputSd, double[] TargetMean, double[] TargetSd)
{
    /// <summary>The identity transform (nothing standardised).</summary>
    public static Standardiser Identity { get; } = new([], [], [], []);

    /// <summary>Fits on the training split: vector inputs ([N, D]) and regression targets.</summary>
    public static Standardiser Fit(Dataset train, bool inputs = true, bool targets = true)
    {
        ArgumentNullException.ThrowIfNull(train);
        using var scope = NewDisposeScope();
        double[] im = [], isd = [], tm = [], tsd = [];
        if (inputs && train.Inputs.dim() == 2) (im, isd) = Moments(train.Inputs);
        if (targets && train.Task == TaskKind.Regression) (tm, tsd) = Moments(train.Targets);
        return new Standardiser(im, isd, tm, tsd);
    }

    /// <summary>Whether inputs are transformed.</summary>
    public bool HasInputs => InputMean.Length > 0;

    /// <summary>Whether targets are transformed.</summary>
    public bool HasTargets => TargetMean.Length > 0;

    /// <summary>Standardised inputs (a new tensor).</summary>
    public Tensor TransformInputs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!HasInputs) return x.alias();
        if (x.dim() != 2 || x.shape[1] != InputMean.Length)
            throw new ArgumentException($"Expected inputs [N, {InputMean.Length}]; got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var mean = tensor(InputMean.Select(v => (float)v).ToArray()).to(x.device);
        var sd = tensor(InputSd.Select(v => (float)v).ToArray()).to(x.device);
        return ((x - mean) / sd).MoveToOuterDisposeScope();
    }

    /// <summary>A new dataset with standardised inputs and (regression) targets.</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var x = TransformInputs(data.Inputs);
        var y = data.Targets.alias();
        if (HasTargets)
        {
            if (data.Task != TaskKind.Regression || data.Targets.shape[1] != TargetMean.Length)
                throw new ArgumentException($"Expected regression targets [N, {TargetMean.Length}].", nameof(data));
            var mean = tensor(TargetMean.Select(v => (float)v).ToArray()).to(y.device);
            var sd = tensor(TargetSd.Select(v => (float)v).ToArray()).to(y.device);
            y = (data.Targets - mean) / sd;
        }
        return new Dataset(x, y, data.Task, data.ClassCount, data.Name, data.FeatureNames, data.TargetName) { Table = data.Table, Lines = data.Lines };
    }

    private static (double[] Mean, double[] Sd) Moments(Tensor columns)
    {
        var x = columns.to_type(ScalarType.Float64);
        var mean = x.mean(new long[] { 0 }).data<double>().ToArray();
        var sd = x.std(0, unbiased: false).data<double>().ToArray();
        for (int i = 0; i < sd.Length; i++)
            if (!(sd[i] > 1e-12) || !double.IsFinite(sd[i])) sd[i] = 1.0;
        return (mean, sd);
    }
}
