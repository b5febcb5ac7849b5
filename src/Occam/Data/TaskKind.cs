namespace Occam.Data;

/// <summary>What a dataset's targets are: real values or class labels.</summary>
public enum TaskKind
{
    /// <summary>Real-valued targets, shape [N, T] float32.</summary>
    Regression,

    /// <summary>Class labels 0..C-1, shape [N] int64.</summary>
    Classification,
}
