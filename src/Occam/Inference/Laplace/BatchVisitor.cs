using Occam.Core;
using static TorchSharp.torch;

namespace Occam.Inference.Laplace;

/// <summary>A kernel that only looks at each batch (a curvature or data-fit pass): no state, no loss.</summary>
internal sealed class BatchVisitor(Action<Tensor, Tensor> visit) : IKernel<BatchVisitor.None>
{
    /// <inheritdoc />
    public None Init(RunSetup setup) => new();

    /// <inheritdoc />
    public (None State, StepInfo Info) Step(None state, Batch batch, StepContext context)
    {
        visit(batch.Inputs, batch.Targets);
        return (state, new StepInfo(null));
    }

    /// <summary>The empty state.</summary>
    internal sealed class None : IDisposable
    {
        public void Dispose() { }
    }
}
