namespace Occam.Core;

/// <summary>A run's training loss became NaN or infinite: the fit stopped instead of returning NaN weights.</summary>
public sealed class TrainingDivergedException : OccamException
{
    /// <summary>Creates the exception for the epoch where the loss stopped being finite.</summary>
    /// <param name="stage">What was running (e.g. "map", "member 2/5").</param>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="loss">The non-finite loss.</param>
    public TrainingDivergedException(string stage, int epoch, double loss)
        : base($"{stage}: training diverged at epoch {epoch} (loss = {loss}); try a smaller learning rate, or standardise the data")
    {
        Stage = stage;
        Epoch = epoch;
        Loss = loss;
    }

    /// <summary>What was running.</summary>
    public string Stage { get; }

    /// <summary>1-based epoch where the loss was first non-finite.</summary>
    public int Epoch { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }
}
