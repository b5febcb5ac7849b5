using Occam.Core;

namespace Occam.Inference.Variational;

/// <summary>
/// Catches an IVON run that runs off. The run is divergent at a step whose mini-batch loss is not finite, and
/// at the end of an epoch whose mean loss exceeds the lowest so far (the first step's loss, from the initial
/// weights, counts as one) by more than <see cref="Margin"/> nats per example. The margin is wide on purpose:
/// IVON's loss is taken at sampled weights, and it rises by a few nats in healthy runs while the posterior
/// widens, so a slow collapse (say to chance level on a classifier, within log K nats) is not caught; a blow-up
/// is. A divergent run is put back to its state at the end of the epoch with the lowest mean loss (the initial
/// state before any epoch beats the first step) and its learning rate is halved for the rest of the run; after
/// <see cref="MaxRollbacks"/> roll-backs the fit is refused with <see cref="TrainingDivergedException"/>. A run
/// without divergence is left untouched.
/// </summary>
internal sealed class IvonDivergenceGuard : IDisposable
{
    /// <summary>The allowed excess of an epoch's mean loss over the lowest so far, in nats per example.</summary>
    public const double Margin = 10.0;

    /// <summary>Roll-backs allowed before the fit is refused (the learning rate is then about 10⁻⁶ of its setting).</summary>
    public const int MaxRollbacks = 20;

    private IvonCheckpoint? _good;
    private int _batchesPerEpoch;
    private double _best;
    private double _sum;
    private long _count;

    /// <summary>The factor on the learning rate: ½ per roll-back.</summary>
    public double Shrink { get; private set; } = 1.0;

    /// <summary>Roll-backs in the current run.</summary>
    public int Rollbacks { get; private set; }

    /// <summary>Starts a run: keeps <paramref name="ivon"/>'s initial state as the first good one.</summary>
    public void Begin(Ivon ivon, int batchesPerEpoch)
    {
        Dispose(); // a saved state of an earlier run belongs to another optimiser
        ivon.Save(ref _good);
        _batchesPerEpoch = batchesPerEpoch;
        (_best, _sum, _count, Shrink, Rollbacks) = (double.NaN, 0, 0, 1.0, 0);
    }

    /// <summary>
    /// Checks a step's loss (<paramref name="loss"/>, the mean at this step's weight samples) and, at the end
    /// of an epoch, the epoch; rolls <paramref name="ivon"/> back where the run diverged. Returns the loss to
    /// report for the step: <paramref name="loss"/> itself when finite, otherwise the mean of this epoch's
    /// finite steps so far, or the lowest epoch mean (NaN when the first step is not finite, which the runner refuses).
    /// </summary>
    /// <exception cref="TrainingDivergedException">More than <see cref="MaxRollbacks"/> roll-backs.</exception>
    public double Observe(Ivon ivon, double loss, StepContext context)
    {
        double reported = loss;
        if (context.Step == 0 && double.IsFinite(loss)) _best = loss;
        if (double.IsFinite(loss)) (_sum, _count) = (_sum + loss, _count + 1);
        else
        {
            reported = _count > 0 ? _sum / _count : _best;
            RollBack(ivon, context.Epoch, loss);
        }
        if ((context.Step + 1) % _batchesPerEpoch == 0 && _count > 0) EndEpoch(ivon, context.Epoch);
        return reported;
    }

    /// <summary>Disposes the saved state.</summary>
    public void Dispose()
    {
        _good?.Dispose();
        _good = null;
    }

    private void EndEpoch(Ivon ivon, int epoch)
    {
        double mean = _sum / _count;
        if (mean > _best + Margin) RollBack(ivon, epoch, mean);
        else if (!(mean >= _best))
        {
            _best = mean;
            ivon.Save(ref _good);
        }
        (_sum, _count) = (0, 0);
    }

    private void RollBack(Ivon ivon, int epoch, double loss)
    {
        if (++Rollbacks > MaxRollbacks) throw new TrainingDivergedException("ivon", epoch + 1, loss);
        ivon.Restore(_good!);
        Shrink /= 2;
        (_sum, _count) = (0, 0);
    }
}
