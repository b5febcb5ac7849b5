using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Inference.Variational;

/// <summary>
/// The IVON optimiser (Improved Variational Online Newton, Shen et al. 2024): it learns a diagonal
/// Gaussian posterior q(θ) = N(m, diag σ²) over the parameters, with σ = 1/√(λ(h + δ)), at the cost
/// of an Adam-like optimiser. The parameters hold the mean m. Each step, for each of
/// <see cref="IvonOptions.McSamples"/> samples: θ = m + σ ⊙ ε is written into the parameters, the closure
/// computes the loss and its gradient ĝ there, and m is restored; then, with ĥ = ĝ ⊙ (θ − m)/σ²,
/// <code>
/// g ← β₁g + (1 − β₁)ĝ,   h ← β₂h + (1 − β₂)ĥ + ½(1 − β₂)²(h − ĥ)²/(h + δ),
/// m ← m − α(g/(1 − β₁ᵗ) + δm)/(h + δ)
/// </code>
/// (gradients and ĥ averaged over the samples). The loss must be the <b>mean</b> per-example negative
/// log-likelihood of the mini-batch, without any prior term: λ scales it to the dataset and δ is the
/// prior precision / λ.
/// <para>
/// Use it like any TorchSharp optimiser with <c>step(closure)</c> (the closure runs once per MC
/// sample and must call <c>zero_grad</c> and <c>backward</c>), or drive the sampling yourself with
/// <see cref="SampledParameters"/> and call <c>step()</c> without a closure. All parameters form one
/// group and must share device and dtype.
/// </para>
/// </summary>
public sealed class Ivon : OptimizerHelper
{
    private readonly Parameter[] _parameters;
    private readonly long[] _offsets;
    private readonly Tensor _hessian;   // h [P]
    private readonly Tensor _momentum;  // g [P]
    private Tensor? _gradSum;           // Σ ĝ over this step's samples [P]
    private Tensor? _noiseGradSum;      // Σ ĝ ⊙ (θ − m) over this step's samples [P]
    private int _count;
    private bool _gradIsAlias;          // _gradSum is still the parameter's own gradient buffer
    private bool _sampling;
    private bool _disposed;

    /// <summary>Creates the optimiser over <paramref name="parameters"/> (their current values are the initial mean).</summary>
    /// <param name="parameters">Parameters to train (at least one).</param>
    /// <param name="options">Hyperparameters; <see cref="IvonOptions.EffectiveSampleSize"/> is required here.</param>
    /// <exception cref="ArgumentException">No parameters, mixed devices or dtypes, or an invalid option (named).</exception>
    public Ivon(IEnumerable<Parameter> parameters, IvonOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        if (options.EffectiveSampleSize is null) throw new ArgumentException("IVON needs an effective sample size (ess), usually the training-set size.", nameof(options));
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("IVON needs at least one parameter to optimise; the list is empty.", nameof(parameters));
        var device = _parameters[0].device;
        var dtype = _parameters[0].dtype;
        if (_parameters.Any(p => p.device_type != device.type || p.device_index != device.index || p.dtype != dtype))
            throw new ArgumentException("IVON keeps its state in one flat buffer, so all parameters must share device and dtype.", nameof(parameters));
        if (!is_floating_point(_parameters[0])) throw new ArgumentException($"IVON needs floating-point parameters; got {dtype}.", nameof(parameters));
        _offsets = new long[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++) _offsets[i + 1] = _offsets[i] + _parameters[i].numel();
        Ess = options.EffectiveSampleSize.Value;
        Decay = options.WeightDecay ?? IvonOptions.ReferenceWeightDecay;
        _hessian = full(_offsets[^1], options.HessianInit, dtype: dtype, device: device);
        _momentum = zeros(_offsets[^1], dtype: dtype, device: device);
        _parameter_groups ??= new List<ParamGroup>();
        _parameter_groups.Add(new ParamGroup { Parameters = _parameters, Options = new OptimizerOptions { LearningRate = options.LearningRate, InitialLearningRate = options.LearningRate } });
    }

    /// <summary>The hyperparameters.</summary>
    public IvonOptions Options { get; }

    /// <summary>Effective sample size λ.</summary>
    public double Ess { get; }

    /// <summary>Weight decay δ (prior precision / λ).</summary>
    public double Decay { get; }

    /// <summary>Number of parameters P.</summary>
    public long Count => _offsets[^1];

    /// <summary>Updates taken so far (t).</summary>
    public long Steps { get; private set; }

    /// <summary>A copy of the Hessian estimate h [P] (in parameter order).</summary>
    public Tensor Hessian() => _hessian.clone();

    /// <summary>The posterior standard deviations σ = 1/√(λ(h + δ)) [P] (in parameter order, a new tensor).</summary>
    public Tensor StandardDeviation() => StandardDeviation(_hessian);

    private Tensor StandardDeviation(Tensor hessian) => hessian.add(Decay).mul_(Ess).rsqrt_();

    /// <summary>
    /// Writes a sample θ ~ q into the parameters until the returned scope is disposed, which restores
    /// the mean m. With <paramref name="train"/>, disposal also records the parameters' gradients at θ
    /// for the next <c>step()</c> (call backward inside the scope).
    /// </summary>
    public IDisposable SampledParameters(bool train = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sampling) throw new InvalidOperationException("IVON is already sampling; dispose the previous sampled-parameters scope first.");
        return new SampleScope(this, train);
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tensor? loss = null;
        if (closure is not null)
        {
            for (int s = 0; s < Options.McSamples; s++)
            {
                using var sample = SampledParameters(train: true);
                using var grad = enable_grad();
                var l = closure();
                loss = loss is null ? l.detach() : loss.add(l.detach());
            }
            loss = loss!.div(Options.McSamples);
        }
        if (_count == 0) throw new InvalidOperationException("IVON step without gradient samples: pass a closure, or run backward inside SampledParameters(train: true) first.");
        Update();
        return loss!;
    }

    private void Update()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Steps++;
        double lr = _parameter_groups[0].LearningRate, b1 = Options.Beta1, b2 = Options.Beta2, delta = Decay;
        if (_count > 1) _gradSum!.div_(_count);
        _momentum.lerp_(_gradSum!, 1 - b1);                                        // g ← β₁g + (1 − β₁)ĝ
        var damped = _hessian.add(delta);
        var estimate = _noiseGradSum!.mul_(damped).mul_(Ess / _count);              // ĥ = ĝ(θ − m)/σ², averaged
        var gap = _hessian.sub(estimate).pow_(2);
        _hessian.lerp_(estimate, 1 - b2).addcdiv_(gap, damped, 0.5 * (1 - b2) * (1 - b2));
        damped = _hessian.add(delta);
        double debias = Options.Debias ? 1 - Math.Pow(b1, Steps) : 1;
        double rate = Options.RescaleLearningRate ? lr * (Options.HessianInit + delta) : lr;
        var mean = Mean();
        var numerator = _momentum.add(mean, alpha: delta * debias);                 // debias·(g/debias + δm)
        if (double.IsFinite(Options.ClipRadius))
        {
            var direction = numerator.div_(damped).div_(debias).clamp_(-Options.ClipRadius, Options.ClipRadius);
            for (int i = 0; i < _parameters.Length; i++) _parameters[i].add_(Slice(direction, i), alpha: -rate);
        }
        else if (_parameters.Length == 1)
            _parameters[0].view(-1).addcdiv_(numerator, damped, -rate / debias);
        else
        {
            var direction = numerator.div_(damped);
            for (int i = 0; i < _parameters.Length; i++) _parameters[i].add_(Slice(direction, i), alpha: -rate / debias);
        }
        _gradSum!.Dispose();
        _noiseGradSum!.Dispose();
        _gradSum = _noiseGradSum = null;
        _gradIsAlias = false;
        _count = 0;
    }

    /// <summary>The parameters as one flat vector (a view when there is one parameter, else a copy).</summary>
    private Tensor Mean() => _parameters.Length == 1 ? _parameters[0].detach().view(-1) : cat(_parameters.Select(p => p.detach().reshape(-1)).ToArray());

    private Tensor Gradient() => _parameters.Length == 1
        ? (_parameters[0].grad ?? zeros_like(_parameters[0])).view(-1)
        : cat(_parameters.Select(p => (p.grad ?? zeros_like(p)).reshape(-1)).ToArray());

    private Tensor Slice(Tensor flat, int i) => flat.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).view(_parameters[i].shape);

    private void Record(Tensor noise)
    {
        using var noGrad = no_grad();
        var grad = Gradient();
        if (_count == 0)
        {
            // With one parameter the gradient is the parameter's own buffer: keep it without a copy until
            // a second sample starts (see KeepGradient), since step() comes before the next zero_grad.
            _gradIsAlias = _parameters.Length == 1 && _parameters[0].grad is not null;
            _gradSum = (_gradIsAlias ? grad : grad.clone()).DetachFromDisposeScope();
            _noiseGradSum = grad.mul(noise).DetachFromDisposeScope();
        }
        else
        {
            _gradSum!.add_(grad);
            _noiseGradSum!.addcmul_(grad, noise, 1);
        }
        _count++;
    }

    /// <summary>Copies an aliased gradient before another sample's zero_grad can overwrite it.</summary>
    private void KeepGradient()
    {
        if (!_gradIsAlias) return;
        using var noGrad = no_grad();
        var copy = _gradSum!.clone();
        _gradSum.Dispose();
        _gradSum = copy;
        _gradIsAlias = false;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _hessian.Dispose();
            _momentum.Dispose();
            _gradSum?.Dispose();
            _noiseGradSum?.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class SampleScope : IDisposable
    {
        private readonly Ivon _owner;
        private readonly bool _train;
        private readonly Tensor _noise;
        private readonly Tensor[] _means;
        private bool _done;

        public SampleScope(Ivon owner, bool train)
        {
            _owner = owner;
            _train = train;
            owner.KeepGradient();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var sd = owner.StandardDeviation(owner._hessian);
            _noise = randn_like(sd).mul_(sd).DetachFromDisposeScope();
            _means = new Tensor[owner._parameters.Length];
            for (int i = 0; i < _means.Length; i++)
            {
                var p = owner._parameters[i];
                _means[i] = p.detach().clone().DetachFromDisposeScope();
                p.add_(owner.Slice(_noise, i));
            }
            owner._sampling = true;
        }

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            using (var scope = NewDisposeScope())
            using (var noGrad = no_grad())
            {
                for (int i = 0; i < _means.Length; i++) _owner._parameters[i].copy_(_means[i]);
                if (_train) _owner.Record(_noise);
            }
            foreach (var m in _means) m.Dispose();
            _noise.Dispose();
            _owner._sampling = false;
        }
    }
}
