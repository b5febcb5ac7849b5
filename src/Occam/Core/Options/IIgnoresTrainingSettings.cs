namespace Occam.Core.Options;

/// <summary>
/// Marks the options of a method that reads none of the model's training settings (prior precision, epochs,
/// learning rate): it fits its own hyperparameters, e.g. a Gaussian process by its marginal likelihood. The tuned
/// UCI protocol therefore grids only such a method's own options, and with none to grid fits it once per split.
/// </summary>
public interface IIgnoresTrainingSettings : IMethodOptions
{
}
