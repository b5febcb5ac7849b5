using Occam.Inference;

namespace Occam.Evaluation;

/// <summary>One way to predict with a fitted posterior, and the label its row gets (e.g. "ivon@mean").</summary>
/// <param name="Label">The row's label.</param>
/// <param name="Options">The prediction options (e.g. <see cref="PredictOptions.AtMean"/>).</param>
public sealed record PredictionVariant(string Label, PredictOptions Options);

/// <summary>
/// A method to benchmark, fitted once per split, and the ways to predict with each fit (one row each).
/// Any <see cref="IPosteriorMethod"/> works, Occam's or a user's; the protocol imposes its model through
/// <see cref="IPosteriorMethod.With"/>.
/// </summary>
/// <param name="Method">The method.</param>
/// <param name="Variants">Prediction variants; empty means one row, the method's name with default options.</param>
public sealed record MethodRun(IPosteriorMethod Method, IReadOnlyList<PredictionVariant> Variants)
{
    /// <summary>A run with the default prediction only.</summary>
    public MethodRun(IPosteriorMethod method) : this(method, []) { }

    /// <summary>The variants to predict with (the default one when none were given).</summary>
    public IReadOnlyList<PredictionVariant> Predictions => Variants.Count > 0 ? Variants : [new PredictionVariant(Method.Name, new PredictOptions())];
}
