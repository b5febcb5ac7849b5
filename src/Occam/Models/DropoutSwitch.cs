using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Models;

/// <summary>
/// Turns dropout on at prediction time (MC dropout) without putting the rest of the network in
/// training mode (batch-norm statistics stay frozen). Disposing restores the previous state.
/// </summary>
public sealed class DropoutSwitch : IDisposable
{
    private readonly List<Action> _restore = new();

    /// <summary>Activates every dropout in <paramref name="module"/> and its children.</summary>
    public DropoutSwitch(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var m in module.modules().Prepend(module))
        {
            switch (m)
            {
                case IStochasticDropout own:
                    var old = own.StochasticDropout;
                    own.StochasticDropout = true;
                    _restore.Add(() => own.StochasticDropout = old);
                    break;
                case TorchSharp.Modules.Dropout or TorchSharp.Modules.Dropout1d or TorchSharp.Modules.Dropout2d:
                    var wasTraining = m.training;
                    m.train(true);
                    _restore.Add(() => m.train(wasTraining));
                    break;
            }
        }
    }

    /// <summary>Whether any dropout was found.</summary>
    public bool Found => _restore.Count > 0;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var restore in _restore) restore();
        _restore.Clear();
    }
}
