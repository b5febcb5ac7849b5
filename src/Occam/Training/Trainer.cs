using System.Diagnostics;
using Occam.Data;
using Occam.Likelihoods;
using Occam.Priors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Occam.Training;

/// <summary>
/// MAP training: minimises (1/N)·[−log p(D|w) − log p(w)] by mini-batch gradient steps, i.e. the
/// batch-mean negative log-likelihood with the Gaussian prior applied as coupled weight decay λ/N
/// (see <see cref="GaussianPrior"/>). A module that stacks K members (output [K, B, O]) is trained
/// as K independent problems in one pass: each member sees its own shuffle and the loss is the sum
/// of the members' losses, so their gradients do not mix.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> (and the likelihood's learnable parameters) in place.</summary>
    /// <param name="network">The network; its raw outputs must fit <paramref name="likelihood"/>.</param>
    /// <param name="likelihood">Observation model, already sized for <paramref name="members"/>.</param>
    /// <param name="data">Training data (already standardised if wanted), on the context's device.</param>
    /// <param name="prior">Gaussian prior on the network weights.</param>
    /// <param name="options">Epochs, batch size, optimiser, learning rate.</param>
    /// <param name="context">Seed, progress, cancellation.</param>
    /// <param name="members">K when the network stacks K members, else 1.</param>
    /// <param name="stage">Label for progress reports.</param>
    /// <param name="hooks">A method's own optimiser, loss term or prior handling (null: plain MAP training).</param>
    public static TrainingReport Train(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data,
        GaussianPrior prior, TrainerOptions options, FitContext context, int members = 1, string stage = "training",
        TrainingHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        options.Validate();
        if (likelihood.Task != data.Task) throw new ArgumentException($"A {likelihood.Name} likelihood cannot fit {data.Task} data.", nameof(likelihood));

        var clock = Stopwatch.StartNew();
        var weights = network.parameters().ToList();
        var all = weights.Concat(likelihood.Parameters).ToList();
        if (all.Count == 0) throw new ArgumentException("The network has no parameters to train.", nameof(network));
        hooks ??= new TrainingHooks();
        double decay = prior.Precision > 0 && !hooks.HandlesPrior ? prior.WeightDecay(data.Count) : 0;
        using var seeded = new Models.RandomSeed(context.Seed); // dropout and IVON's noise seed draw from libtorch's global generator
        var optimizer = hooks.Optimizer?.Invoke(all) ?? Optimizers.Create(all, options);
        using var owned = hooks.Optimizer is null ? optimizer : null;
        var batches = new MiniBatches(data.Count, options.BatchSize, context.Seed, members);
        var history = new double[options.Epochs];
        long totalSteps = (long)options.Epochs * batches.BatchesPerEpoch;
        var groups = optimizer.ParamGroups.ToArray();
        var initialRates = groups.Select(g => g.LearningRate).ToArray();
        int steps = 0;
        network.train();
        try
        {
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                using var epochScope = NewDisposeScope();
                var total = zeros(1, ScalarType.Float32, device: data.Inputs.device);
                foreach (var index in batches.NextEpoch())
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    using var stepScope = NewDisposeScope();
                    if (options.Schedule != LearningRateSchedule.Constant)
                        for (int g = 0; g < groups.Length; g++) groups[g].LearningRate = options.Schedule.At(initialRates[g], steps, totalSteps);
                    var loss = optimizer.step(() =>
                    {
                        optimizer.zero_grad();
                        var l = Loss(network, likelihood, data, index, members);
                        if (hooks.Penalty is { } penalty) l = l + penalty();
                        l.backward();
                        if (hooks.GradientPenalty is { } gradientPenalty) l = l.detach().add(gradientPenalty());
                        if (decay > 0) AddPriorGradient(weights, decay);
                        return l;
                    });
                    total.add_(loss.detach(), alpha: index.shape[^1]);
                    steps++;
                }
                double epochLoss = total.item<float>() / data.Count / members + (decay > 0 ? decay / 2 * SquaredNorm(weights) / members : 0);
                history[epoch] = epochLoss;
                if (!double.IsFinite(epochLoss)) throw new TrainingDivergedException(epoch + 1, epochLoss, options.LearningRate);
                context.Progress?.Report(new EpochReport(stage, epoch + 1, options.Epochs, epochLoss));
            }
        }
        finally
        {
            network.eval();
        }
        return new TrainingReport(history, steps, clock.Elapsed.TotalSeconds);
    }

    private static Tensor Loss(nn.Module<Tensor, Tensor> network, Likelihood likelihood, Dataset data, Tensor index, int members)
    {
        if (members == 1)
        {
            var x = data.Inputs.index_select(0, index);
            var y = data.Targets.index_select(0, index);
            return likelihood.NegativeLogLikelihood(network.forward(x), y).mean();
        }
        var flat = index.reshape(-1);
        var xs = data.Inputs.index_select(0, flat).view([members, index.shape[1], .. data.InputShape]);
        var ys = data.Targets.index_select(0, flat);
        ys = ys.view([members, index.shape[1], .. ys.shape[1..]]);
        return likelihood.NegativeLogLikelihood(network.forward(xs), ys).mean(new long[] { 1 }).sum();
    }

    private static void AddPriorGradient(List<Parameter> weights, double decay)
    {
        using var _ = no_grad();
        foreach (var p in weights)
            p.grad?.add_(p, alpha: decay);
    }

    private static double SquaredNorm(List<Parameter> weights)
    {
        using var _ = no_grad();
        return weights.Sum(p => p.square().sum().item<float>());
    }
}

/// <summary>What a training run did.</summary>
/// <param name="EpochLoss">Mean per-example loss (incl. the prior term) of each epoch, averaged over members.</param>
/// <param name="Steps">Optimiser steps taken.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record TrainingReport(double[] EpochLoss, int Steps, double Seconds);
