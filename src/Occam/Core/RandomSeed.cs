using static TorchSharp.torch;

namespace Occam.Core;

/// <summary>
/// Seeds libtorch's global generator for a block (module constructors and dropout draw from it) and
/// restores the previous generator state afterwards, so seeding one fit does not perturb another.
/// </summary>
internal sealed class RandomSeed : IDisposable
{
    private readonly Tensor _saved;

    public RandomSeed(long seed)
    {
        _saved = random.get_rng_state().DetachFromDisposeScope();
        random.manual_seed(seed);
    }

    public void Dispose()
    {
        random.set_rng_state(_saved);
        _saved.Dispose();
    }
}
