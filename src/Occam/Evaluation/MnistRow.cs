namespace Occam.Evaluation;

/// <summary>One method's results on the MNIST protocol (see <see cref="MnistProtocol"/>).</summary>
/// <param name="Method">Method name.</param>
/// <param name="TrainSize">Training images used.</param>
/// <param name="TestSize">Test images used (also the size of every rotated test set).</param>
/// <param name="OodSize">Out-of-distribution images scored, or null when no OOD set was given.</param>
/// <param name="Accuracy">Test accuracy of the Bayesian model average (unrotated).</param>
/// <param name="Nll">Test negative log predictive density, nats per image.</param>
/// <param name="Ece">Expected calibration error of the top-label confidence (15 equal-width bins).</param>
/// <param name="Brier">Brier score, summed over classes (in [0, 2]).</param>
/// <param name="OodAurocEntropy">AUROC of predictive entropy for telling OOD images (positives) from test images; null without an OOD set.</param>
/// <param name="OodAurocMutualInformation">AUROC of the mutual information (epistemic part); 0.5 for a single-member posterior such as MAP (all scores tie at zero); null without an OOD set.</param>
/// <param name="FitSeconds">Wall time of the fit.</param>
/// <param name="PredictSeconds">Wall time of predicting the unrotated test set once.</param>
/// <param name="RotationCurve">One point per angle, in the order of the options' angles.</param>
public sealed record MnistRow(
    string Method,
    int TrainSize,
    int TestSize,
    int? OodSize,
    double Accuracy,
    double Nll,
    double Ece,
    double Brier,
    double? OodAurocEntropy,
    double? OodAurocMutualInformation,
    double FitSeconds,
    double PredictSeconds,
    IReadOnlyList<RotationPoint> RotationCurve);
