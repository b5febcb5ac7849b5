namespace Occam.Training;

/// <summary>The training loss became NaN or infinite: the fit stopped instead of returning NaN weights.</summary>
public sealed class TrainingDivergedException : OccamException
{
    /// <summary>Creates the exception for the epoch where the loss stopped being finite.</summary>
    public TrainingDivergedException(int epoch, double loss, double learningRate)
        : base($"training diverged at epoch {epoch} (loss = {loss}); try a smaller learning rate than {learningRate}, or standardise the data")
    {
        Epoch = epoch;
        Loss = loss;
    }

    /// <summary>1-based epoch where the loss was first non-finite.</summary>
    public int Epoch { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }
}
