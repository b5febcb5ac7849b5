namespace Occam.Evaluation.Leaderboards;

/// <summary>A paper's result on one UCI dataset with one hidden layer, as the paper prints it.</summary>
/// <param name="Dataset">The dataset folder name (as in the UCI benchmark data).</param>
/// <param name="Source">Who published it (<see cref="PublishedResults.Sources"/>).</param>
/// <param name="TestLl">Mean test log-likelihood per example (higher is better; a printed NLL is stored negated).</param>
/// <param name="TestLlSpread">The ± the paper prints with it.</param>
/// <param name="Rmse">Mean test RMSE.</param>
/// <param name="RmseSpread">The ± the paper prints with it.</param>
public sealed record PublishedResult(string Dataset, string Source, double TestLl, double TestLlSpread, double Rmse, double RmseSpread);

/// <summary>
/// Published one-hidden-layer results on the UCI regression benchmark (20 splits; 5 for protein): MC dropout
/// (Gal &amp; Ghahramani 2016, Table 1), MC dropout rerun with ten times the epochs and dropout rate and noise
/// precision chosen on a validation split (Gal's DropoutUncertaintyExps repository, 2018), and deep ensembles
/// (Lakshminarayanan et al. 2017, Table 1, which prints the NLL). The papers' ± are larger than a standard error over
/// splits, so comparisons use the means.
/// </summary>
public static class PublishedResults
{
    /// <summary>MC dropout, Gal &amp; Ghahramani 2016, Table 1.</summary>
    public const string GalGhahramani2016 = "MC dropout (Gal & Ghahramani 2016, Table 1)";

    /// <summary>MC dropout rerun, Gal 2018, DropoutUncertaintyExps readme.</summary>
    public const string Gal2018 = "MC dropout, tuned rerun (Gal 2018, DropoutUncertaintyExps)";

    /// <summary>Deep ensembles, Lakshminarayanan et al. 2017, Table 1.</summary>
    public const string Lakshminarayanan2017 = "deep ensembles (Lakshminarayanan et al. 2017, Table 1)";

    /// <summary>The sources, in publication order.</summary>
    public static IReadOnlyList<string> Sources { get; } = [GalGhahramani2016, Gal2018, Lakshminarayanan2017];

    /// <summary>Every published result: 7 datasets × 3 sources.</summary>
    public static IReadOnlyList<PublishedResult> All { get; } =
    [
        new("yacht", GalGhahramani2016, -1.55, 0.12, 1.11, 0.38),
        new("bostonHousing", GalGhahramani2016, -2.46, 0.25, 2.97, 0.85),
        new("concrete", GalGhahramani2016, -3.04, 0.09, 5.23, 0.53),
        new("energy", GalGhahramani2016, -1.99, 0.09, 1.66, 0.19),
        new("naval-propulsion-plant", GalGhahramani2016, 3.80, 0.05, 0.01, 0.00),
        new("protein-tertiary-structure", GalGhahramani2016, -2.89, 0.01, 4.36, 0.04),
        new("wine-quality-red", GalGhahramani2016, -0.93, 0.06, 0.62, 0.04),

        new("yacht", Gal2018, -1.38, 0.06, 0.72, 0.25),
        new("bostonHousing", Gal2018, -2.39, 0.20, 2.80, 0.84),
        new("concrete", Gal2018, -2.94, 0.10, 4.81, 0.64),
        new("energy", Gal2018, -1.72, 0.07, 1.09, 0.21),
        new("naval-propulsion-plant", Gal2018, 3.92, 0.03, 0.00, 0.00),
        new("protein-tertiary-structure", Gal2018, -2.87, 0.01, 4.27, 0.05),
        new("wine-quality-red", Gal2018, -0.92, 0.06, 0.61, 0.04),

        new("yacht", Lakshminarayanan2017, -1.18, 0.21, 1.58, 0.48),
        new("bostonHousing", Lakshminarayanan2017, -2.41, 0.25, 3.28, 1.00),
        new("concrete", Lakshminarayanan2017, -3.06, 0.18, 6.03, 0.58),
        new("energy", Lakshminarayanan2017, -1.38, 0.22, 2.09, 0.29),
        new("naval-propulsion-plant", Lakshminarayanan2017, 5.63, 0.05, 0.00, 0.00),
        new("protein-tertiary-structure", Lakshminarayanan2017, -2.83, 0.02, 4.71, 0.06),
        new("wine-quality-red", Lakshminarayanan2017, -0.94, 0.12, 0.64, 0.04),
    ];

    /// <summary>The published results on <paramref name="dataset"/>, best test log-likelihood first (empty for a dataset not in the table).</summary>
    public static IReadOnlyList<PublishedResult> For(string dataset) =>
        All.Where(p => p.Dataset == dataset).OrderByDescending(p => p.TestLl).ToList();

    /// <summary>The published result with the highest test log-likelihood on <paramref name="dataset"/>, or null when none is published.</summary>
    public static PublishedResult? Best(string dataset) => For(dataset).FirstOrDefault();
}
