using System.Text.Json.Serialization;
using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Evaluation;

/// <summary>
/// Settings of the MNIST protocol (<see cref="MnistProtocol"/>): LeNet-5 trained with Adam on a
/// categorical likelihood, scored on the test set, on rotated test sets and against an OOD set.
/// </summary>
public sealed record MnistProtocolOptions
{
    /// <summary>The rotated-MNIST angles of Ovadia et al. 2019: 0°, 15°, …, 180°.</summary>
    public static IReadOnlyList<double> DefaultAngles { get; } = Enumerable.Range(0, 13).Select(i => 15.0 * i).ToArray();

    /// <summary>Training epochs (default 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Mini-batch size (default 128).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning-rate schedule of every method's training (default constant).</summary>
    [JsonIgnore]
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>The schedule's name (for reports).</summary>
    public string ScheduleName => Schedule.Name;

    /// <summary>Gaussian prior precision λ on the weights (default 1), i.e. coupled weight decay λ/N on N training images.</summary>
    public double PriorPrecision { get; init; } = 1.0;

    /// <summary>Dropout rate of LeNet-5 before each fully connected layer (default 0: none; MC dropout adds its own rate when there is none).</summary>
    public double Dropout { get; init; }

    /// <summary>Seed of initialisation, shuffling, dropout and sampling (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>Rotation angles in degrees, counter-clockwise (default <see cref="DefaultAngles"/>).</summary>
    public IReadOnlyList<double> Angles { get; init; } = DefaultAngles;

    /// <summary>Images per forward pass at prediction (bounds memory; default 1000).</summary>
    public int PredictBatchSize { get; init; } = 1000;

    /// <summary>Device to train and predict on (null: CPU).</summary>
    [JsonIgnore]
    public Device? Device { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    /// <returns>This instance.</returns>
    public MnistProtocolOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1; got {Epochs}.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1; got {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"Learning rate must be positive; got {LearningRate}.", nameof(LearningRate));
        if (!(PriorPrecision >= 0) || !double.IsFinite(PriorPrecision)) throw new ArgumentException($"Prior precision must be finite and non-negative; got {PriorPrecision}.", nameof(PriorPrecision));
        if (PredictBatchSize < 1) throw new ArgumentException($"Prediction batch size must be at least 1; got {PredictBatchSize}.", nameof(PredictBatchSize));
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"Dropout must lie in [0, 1); got {Dropout}.", nameof(Dropout));
        ArgumentNullException.ThrowIfNull(Schedule);
        ArgumentNullException.ThrowIfNull(Angles);
        if (Angles.Count == 0) throw new ArgumentException("Need at least one rotation angle.", nameof(Angles));
        if (Angles.Any(a => !double.IsFinite(a))) throw new ArgumentException("Rotation angles must be finite.", nameof(Angles));
        return this;
    }
}
