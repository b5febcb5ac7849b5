using Occam.Randomness;
using Occam.Runtime;
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
/// group and must share device and dtype. Contiguous float32 parameters in CPU memory are updated by
/// fused SIMD passes (<see cref="IvonCpuKernel"/>); other devices and dtypes use libtorch operations.
/// </para>
/// </summary>
public sealed partial class Ivon : OptimizerHelper
{
    private readonly Parameter[] _parameters;
    private readonly long[] _offsets;      // parameter i is [offsets[i], offsets[i + 1]) of every flat buffer
    private readonly Tensor _hessian;      // h [P]
    private readonly Tensor _momentum;     // g [P]
    private readonly Tensor _mean;         // m, saved while a sample is in the parameters [P]
    private readonly Tensor _gradSum;      // Σ ĝ over this step's samples [P]
    private readonly Tensor _sampleGrad;   // this sample's ĝ when the step has several samples [P]
    private readonly Tensor _noiseGradSum; // Σ ĝ ⊙ (θ − m) over this step's samples [P]
    private readonly Tensor[] _meanViews, _gradSumViews, _sampleGradViews, _noiseViews, _sdViews;
    private readonly NormalNoise _noise;
    private readonly Tensor _sd;           // σ = 1/√(λ(h + δ)) [P], refreshed after every update
    private readonly bool _fused;          // float32 CPU storage: IvonCpuKernel instead of libtorch passes
    private int _count;
    private bool _sampling;
    private bool _disposed;

    /// <summary>Creates the optimiser over <paramref name="parameters"/> (their current values are the initial mean).</summary>
    /// <param name="parameters">Parameters to train (at least one).</param>
    /// <param name="options">Hyperparameters; <see cref="IvonOptions.EffectiveSampleSize"/> is required here.</param>
    /// <exception cref="ArgumentException">No parameters, mixed devices or dtypes, or an invalid option (named).</exception>
    /// <remarks>The weight noise comes from a private generator seeded from libtorch's global one, so
    /// <c>torch.random.manual_seed</c> before construction makes a run reproducible.</remarks>
    public Ivon(IEnumerable<Parameter> parameters, IvonOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
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
        Count = _offsets[^1];
        Ess = options.EffectiveSampleSize.Value;
        Decay = options.WeightDecay ?? IvonOptions.ReferenceWeightDecay;
        Tensor Buffer() => empty(Count, dtype, device).DetachFromDisposeScope();
        _hessian = full(Count, options.HessianInit, dtype: dtype, device: device).DetachFromDisposeScope();
        _momentum = zeros(Count, dtype: dtype, device: device).DetachFromDisposeScope();
        (_mean, _gradSum, _sampleGrad, _noiseGradSum, _sd) = (Buffer(), Buffer(), Buffer(), Buffer(), Buffer());
        using (var damped = _hessian.add(Decay)) RefreshStandardDeviation(damped);
        _fused = dtype == ScalarType.Float32 && device.type == DeviceType.CPU && IvonCpuKernel.IsSupported && _parameters.All(p => p.is_contiguous());
        ulong seed;
        using (var draw = randint(long.MaxValue, [1], dtype: ScalarType.Int64)) seed = (ulong)draw.item<long>();
        _noise = new NormalNoise(Count, dtype, device, seed);
        (_meanViews, _gradSumViews, _sampleGradViews, _noiseViews, _sdViews) = (Views(_mean), Views(_gradSum), Views(_sampleGrad), Views(_noise.Buffer), Views(_sd));
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
    public long Count { get; }

    /// <summary>Updates taken so far (t).</summary>
    public long Steps { get; private set; }

    /// <summary>A copy of the Hessian estimate h [P] (in parameter order).</summary>
    public Tensor Hessian() => _hessian.clone();

    /// <summary>The posterior standard deviations σ = 1/√(λ(h + δ)) [P] (in parameter order, a new tensor).</summary>
    public Tensor StandardDeviation() => _sd.clone();

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
            if (Options.McSamples > 1) loss = loss!.div(Options.McSamples);
        }
        if (_count == 0) throw new InvalidOperationException("IVON step without gradient samples: pass a closure, or run backward inside SampledParameters(train: true) first.");
        Update();
        return loss!;
    }

    /// <summary>One IVON update from the recorded samples.</summary>
    private void Update()
    {
        Steps++;
        if (_fused) FusedUpdate();
        else TensorUpdate();
        _count = 0;
    }

    /// <summary>The update in one fused pass per parameter over float32 CPU storage.</summary>
    private void FusedUpdate()
    {
        double lr = _parameter_groups[0].LearningRate, b1 = Options.Beta1, b2 = Options.Beta2, delta = Decay;
        double debias = Options.Debias ? 1 - Math.Pow(b1, Steps) : 1;
        double rate = Options.RescaleLearningRate ? lr * (Options.HessianInit + delta) : lr;
        var c = new IvonCpuKernel.UpdateCoefficients((float)(1.0 / _count), (float)(1 - b1), (float)Ess, (float)delta, (float)(1 - b2),
            (float)(0.5 * (1 - b2) * (1 - b2)), (float)rate, (float)(delta * debias), (float)(1 / debias), (float)Options.ClipRadius, double.IsFinite(Options.ClipRadius));
        for (int i = 0; i < _parameters.Length; i++)
            IvonCpuKernel.Update(TensorStorage.Floats(_parameters[i]), Part(_gradSum, i), Part(_noiseGradSum, i), Part(_momentum, i), Part(_hessian, i), Part(_sd, i), c);
    }

    /// <summary>The update in 13 libtorch element-wise passes over the flat state.</summary>
    private void TensorUpdate()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double lr = _parameter_groups[0].LearningRate, b1 = Options.Beta1, b2 = Options.Beta2, delta = Decay;
        var gradient = _count > 1 ? _gradSum.div_(_count) : _gradSum;
        _momentum.lerp_(gradient, 1 - b1);                                          // g ← β₁g + (1 − β₁)ĝ
        var damped = _hessian.add(delta);
        var gap = _noiseGradSum.mul_(damped).mul_(Ess / _count).sub_(_hessian);    // ĥ − h, with ĥ = ĝ(θ − m)/σ² averaged
        _hessian.add_(gap, alpha: 1 - b2).addcdiv_(gap.pow_(2), damped, 0.5 * (1 - b2) * (1 - b2));
        damped = _hessian.add(delta);
        double debias = Options.Debias ? 1 - Math.Pow(b1, Steps) : 1;
        double rate = Options.RescaleLearningRate ? lr * (Options.HessianInit + delta) : lr;
        var numerator = _momentum.add(_mean, alpha: delta * debias);                // debias·(g/debias + δm); _mean holds m (see SampleScope)
        if (double.IsFinite(Options.ClipRadius))
        {
            var direction = numerator.div_(damped).div_(debias).clamp_(-Options.ClipRadius, Options.ClipRadius);
            for (int i = 0; i < _parameters.Length; i++) _parameters[i].add_(Slice(direction, i), alpha: -rate);
        }
        else
            for (int i = 0; i < _parameters.Length; i++) _parameters[i].addcdiv_(Slice(numerator, i), Slice(damped, i), -rate / debias);
        RefreshStandardDeviation(damped);
    }

    /// <summary>σ = 1/√(λ(h + δ)) from h + δ, written into the σ buffer.</summary>
    private void RefreshStandardDeviation(Tensor damped)
    {
        using var noGrad = no_grad();
        _sd.copy_(damped).mul_(Ess).rsqrt_();
    }


    /// <summary>Parameter <paramref name="i"/>'s part of a flat float32 CPU buffer, as a span.</summary>
    private Span<float> Part(Tensor flat, int i) => TensorStorage.Floats(flat).Slice((int)_offsets[i], (int)(_offsets[i + 1] - _offsets[i]));

    /// <summary>The part of a flat [P] tensor that belongs to parameter <paramref name="i"/>, shaped like it.</summary>
    private Tensor Slice(Tensor flat, int i) => flat.narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).view(_parameters[i].shape);

    /// <summary>Views of a flat [P] buffer shaped like each parameter, kept outside any dispose scope.</summary>
    private Tensor[] Views(Tensor flat) => Enumerable.Range(0, _parameters.Length).Select(i => Slice(flat, i).DetachFromDisposeScope()).ToArray();

    /// <summary>Adds this sample's gradients at θ = m + noise to the step's sums.</summary>
    private void Record(Tensor noise)
    {
        if (_fused) FusedRecord(noise);
        else TensorRecord(noise);
        _count++;
    }

    private void FusedRecord(Tensor noise)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is not { } g)
            {
                if (_count == 0) { Part(_gradSum, i).Clear(); Part(_noiseGradSum, i).Clear(); }
                continue;
            }
            using var contiguous = g.is_contiguous() ? null : g.contiguous();
            IvonCpuKernel.Record(TensorStorage.Floats(contiguous ?? g), Part(noise, i), Part(_gradSum, i), Part(_noiseGradSum, i), first: _count == 0);
        }
    }

    private void TensorRecord(Tensor noise)
    {
        using var noGrad = no_grad();
        var target = _count == 0 ? _gradSumViews : _sampleGradViews;
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].grad is { } g) target[i].copy_(g);
            else target[i].zero_();
        }
        if (_count == 0) _noiseGradSum.copy_(_gradSum).mul_(noise);
        else
        {
            _gradSum.add_(_sampleGrad);
            _noiseGradSum.addcmul_(_sampleGrad, noise, 1);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            foreach (var view in _meanViews.Concat(_gradSumViews).Concat(_sampleGradViews).Concat(_noiseViews).Concat(_sdViews)) view.Dispose();
            foreach (var buffer in new[] { _hessian, _momentum, _sd, _mean, _gradSum, _sampleGrad, _noiseGradSum }) buffer.Dispose();
            _noise.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class SampleScope : IDisposable
    {
        private readonly Ivon _owner;
        private readonly bool _train;
        private readonly Tensor _noise;
        private bool _done;

        /// <summary>Saves m into the owner's mean buffer and writes θ = m + σ ⊙ ε into the parameters.</summary>
        public SampleScope(Ivon owner, bool train)
        {
            _owner = owner;
            _train = train;
            using var noGrad = no_grad();
            _noise = owner._noise.Next();
            for (int i = 0; i < owner._parameters.Length; i++)
            {
                var p = owner._parameters[i];
                if (owner._fused) IvonCpuKernel.Sample(TensorStorage.Floats(p), owner.Part(owner._mean, i), owner.Part(owner._sd, i), owner.Part(_noise, i));
                else
                {
                    owner._meanViews[i].copy_(p);
                    owner._noiseViews[i].mul_(owner._sdViews[i]);
                    p.add_(owner._noiseViews[i]);
                }
            }
            owner._sampling = true;
        }

        /// <summary>Restores m exactly and, when training, records the gradients at θ.</summary>
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            using (var noGrad = no_grad())
            {
                for (int i = 0; i < _owner._parameters.Length; i++)
                {
                    if (_owner._fused) _owner.Part(_owner._mean, i).CopyTo(TensorStorage.Floats(_owner._parameters[i]));
                    else _owner._parameters[i].copy_(_owner._meanViews[i]);
                }
                if (_train) _owner.Record(_noise);
            }
            _owner._sampling = false;
        }
    }
}
