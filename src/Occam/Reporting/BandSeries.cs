namespace Occam.Reporting;

/// <summary>One panel of a <see cref="RegressionBandPlot"/>: a 1-D predictive mean and standard deviation on a set of inputs.</summary>
/// <param name="Title">Panel title, usually the method's name.</param>
/// <param name="X">Inputs at which the predictive was evaluated (any order; the plot sorts them).</param>
/// <param name="Mean">Predictive mean at each input.</param>
/// <param name="StandardDeviation">Predictive standard deviation at each input (total: aleatoric plus epistemic, or whichever the caller wants shown).</param>
public sealed record BandSeries(string Title, double[] X, double[] Mean, double[] StandardDeviation);
