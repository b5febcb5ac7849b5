using TorchSharp;
using static TorchSharp.torch;

namespace Occam.GaussianProcesses;

/// <summary>
/// One named block of GP hyperparameters (a lengthscale vector, a noise variance, inducing inputs).
/// It stores an unconstrained float64 leaf tensor <see cref="Raw"/> that optimisers train; a
/// <see cref="HyperparameterConstraint.Positive"/> hyperparameter keeps log-values there, so every
/// update keeps the value positive. Sealed and idempotently disposable; kernels and models own theirs.
/// </summary>
public sealed class Hyperparameter : IDisposable
{
    private readonly double[] _initialRaw;
    private readonly long[] _shape;
    private bool _disposed;

    /// <summary>
    /// Creates a hyperparameter from its (constrained) values. Positive values must be positive and
    /// finite, unconstrained values finite; otherwise <see cref="ArgumentOutOfRangeException"/> names
    /// <paramref name="name"/> and the bad entry.
    /// </summary>
    /// <param name="name">A name for messages and reports, such as "SquaredExponentialKernel.Lengthscale".</param>
    /// <param name="values">The values (copied).</param>
    /// <param name="constraint">Positive (log-parametrised) or unconstrained.</param>
    /// <param name="shape">The tensor shape (default [values.Length]); its element count must match.</param>
    /// <param name="trainable">Whether <see cref="Raw"/> requires gradients (default true).</param>
    public Hyperparameter(string name, double[] values, HyperparameterConstraint constraint = HyperparameterConstraint.Positive,
        long[]? shape = null, bool trainable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException($"{name} needs at least one value.", nameof(values));
        if (!Enum.IsDefined(constraint)) throw new ArgumentOutOfRangeException(nameof(constraint), constraint, $"Unknown constraint for {name}.");
        shape ??= [values.Length];
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length || shape.Any(s => s < 1))
            throw new ArgumentException($"{name}: shape [{string.Join(", ", shape)}] does not hold {values.Length} values.", nameof(shape));
        Name = name;
        Constraint = constraint;
        Trainable = trainable;
        _shape = (long[])shape.Clone();
        _initialRaw = ToRaw(values);
        using var scope = NewDisposeScope();
        Raw = tensor(_initialRaw, dtype: ScalarType.Float64).reshape(_shape).requires_grad_(trainable).DetachFromDisposeScope();
    }

    /// <summary>The name given at construction.</summary>
    public string Name { get; }

    /// <summary>Positive (log-parametrised) or unconstrained.</summary>
    public HyperparameterConstraint Constraint { get; }

    /// <summary>Whether <see cref="Raw"/> requires gradients, so that fitting trains it.</summary>
    public bool Trainable { get; }

    /// <summary>The tensor shape of the values.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The number of scalar values.</summary>
    public int Count => _initialRaw.Length;

    /// <summary>
    /// The unconstrained float64 leaf tensor an optimiser trains (log-values for positive ones). It is
    /// owned by this object: do not dispose it. Change it only in place (under <c>torch.no_grad()</c>).
    /// </summary>
    public Tensor Raw { get; }

    /// <summary>The current values (exp(raw) for positive ones), copied to a new array.</summary>
    public double[] Values => FromRaw(RawValues());

    /// <summary>The first value; convenient for scalar hyperparameters.</summary>
    public double Scalar => Values[0];

    /// <summary>
    /// The values as a float64 tensor in the autograd graph of <see cref="Raw"/> (shape <see cref="Shape"/>);
    /// the caller owns and disposes it.
    /// </summary>
    public Tensor Value()
    {
        ThrowIfDisposed();
        return Constraint == HyperparameterConstraint.Positive ? Raw.exp() : Raw.alias();
    }

    /// <summary>Sets the values (validated as in the constructor); the tensor <see cref="Raw"/> keeps its identity.</summary>
    public void Assign(params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Count) throw new ArgumentException($"{Name} holds {Count} values; got {values.Length}.", nameof(values));
        AssignRaw(ToRaw(values));
    }

    /// <summary>The raw values as a new array.</summary>
    internal double[] RawValues()
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        return Raw.detach().reshape(-1).data<double>().ToArray();
    }

    /// <summary>The raw values given at construction.</summary>
    internal double[] InitialRawValues() => (double[])_initialRaw.Clone();

    /// <summary>Overwrites the raw values in place (no autograd record).</summary>
    internal void AssignRaw(double[] raw)
    {
        ThrowIfDisposed();
        if (raw.Length != Count) throw new ArgumentException($"{Name} holds {Count} raw values; got {raw.Length}.", nameof(raw));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Raw.copy_(tensor(raw, dtype: ScalarType.Float64).reshape(Raw.shape));
    }

    private double[] ToRaw(double[] values)
    {
        var raw = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (Constraint == HyperparameterConstraint.Positive)
            {
                if (!(v > 0) || !double.IsFinite(v))
                    throw new ArgumentOutOfRangeException(Name, v, $"{Name}[{i}] must be positive and finite; got {v}.");
                raw[i] = Math.Log(v);
            }
            else
            {
                if (!double.IsFinite(v)) throw new ArgumentOutOfRangeException(Name, v, $"{Name}[{i}] must be finite; got {v}.");
                raw[i] = v;
            }
        }
        return raw;
    }

    private double[] FromRaw(double[] raw) =>
        Constraint == HyperparameterConstraint.Positive ? raw.Select(Math.Exp).ToArray() : raw;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Releases <see cref="Raw"/>; idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Raw.Dispose();
    }
}
