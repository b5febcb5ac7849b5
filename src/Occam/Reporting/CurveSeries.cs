namespace Occam.Reporting;

/// <summary>One line of a <see cref="LearningCurvePlot"/> panel: a mean over repeats with a band (e.g. the range over seeds).</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">Positions (e.g. labelled points), increasing.</param>
/// <param name="Mean">The line.</param>
/// <param name="Lower">Lower edge of the band.</param>
/// <param name="Upper">Upper edge of the band.</param>
public sealed record CurveSeries(string Name, double[] X, double[] Mean, double[] Lower, double[] Upper);

/// <summary>One panel of a <see cref="LearningCurvePlot"/>: a quantity against the same x for several series.</summary>
/// <param name="YLabel">What the y axis shows.</param>
/// <param name="Series">The lines; at least one.</param>
public sealed record CurvePanel(string YLabel, IReadOnlyList<CurveSeries> Series);
