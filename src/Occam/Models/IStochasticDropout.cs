namespace Occam.Models;

/// <summary>
/// A module with its own dropout (not TorchSharp Dropout layers) that can keep it active in evaluation
/// mode, so MC dropout can sample masks without putting the module in training mode.
/// </summary>
public interface IStochasticDropout
{
    /// <summary>Keep dropout active in evaluation mode too.</summary>
    bool StochasticDropout { get; set; }
}
