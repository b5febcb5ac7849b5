using Occam.GaussianProcesses.Kernels;

namespace Occam.GaussianProcesses.Classification;

/// <summary>The kernel's hyperparameter values at fitting time, so that predictions refuse a kernel that has changed since.</summary>
internal sealed class KernelSnapshot
{
    private readonly Kernel _kernel;
    private readonly double[] _raw;

    public KernelSnapshot(Kernel kernel)
    {
        _kernel = kernel;
        _raw = Read(kernel);
    }

    public void Verify(string model)
    {
        if (!_raw.AsSpan().SequenceEqual(Read(_kernel)))
            throw new InvalidOperationException($"The kernel's hyperparameters changed after the {model} was fitted; fit a new {model} at the new values.");
    }

    private static double[] Read(Kernel kernel) => kernel.Hyperparameters.SelectMany(h => h.RawValues()).ToArray();
}
