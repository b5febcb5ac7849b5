namespace Occam.GaussianProcesses.Fitting;

/// <summary>The optimiser that maximises a GP's log marginal likelihood over its raw (log-) hyperparameters.</summary>
public enum GpOptimizer
{
    /// <summary>Limited-memory BFGS with a backtracking (Armijo) line search (Nocedal &amp; Wright 2006, Alg. 7.4).</summary>
    Lbfgs,

    /// <summary>Adam (Kingma &amp; Ba 2015) with a fixed learning rate.</summary>
    Adam,
}
