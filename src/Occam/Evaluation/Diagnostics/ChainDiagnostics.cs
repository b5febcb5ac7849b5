using Occam.Data;
using Occam.Inference;
using Occam.Inference.Sampling;
using Occam.Posteriors;
using static TorchSharp.torch;

namespace Occam.Evaluation.Diagnostics;

/// <summary>R̂ and ESS of one scalar summary of a sampled posterior.</summary>
/// <param name="Name">"log_posterior", "projection" (θ on a fixed random direction) or "prediction[i]" (the i-th input's prediction).</param>
/// <param name="WeightSpace">True for summaries of θ itself (the projection), which symmetric modes of a network keep apart across chains.</param>
/// <param name="Rhat">Rank-normalised split-R̂ (Vehtari et al. 2021).</param>
/// <param name="BulkEss">Bulk effective sample size.</param>
/// <param name="TailEss">Tail effective sample size.</param>
public sealed record SummaryDiagnostic(string Name, bool WeightSpace, double Rhat, double BulkEss, double TailEss);

/// <summary>The convergence diagnostics of a sampled posterior and its sampler's statistics.</summary>
/// <param name="Chains">K.</param>
/// <param name="DrawsPerChain">Draws each chain kept.</param>
/// <param name="Summaries">One entry per scalar summary.</param>
/// <param name="Sampler">The sampler's statistics (steps; divergences; HMC also acceptance_rate, warm_up_divergences, step_size, leapfrog_steps, gradient_evaluations).</param>
public sealed record SamplingDiagnostics(int Chains, int DrawsPerChain, IReadOnlyList<SummaryDiagnostic> Summaries, IReadOnlyDictionary<string, double> Sampler)
{
    /// <summary>The largest R̂ over the function-space summaries (log posterior and predictions); NaN when there are none.</summary>
    public double MaxFunctionRhat => Max(Summaries.Where(s => !s.WeightSpace).Select(s => s.Rhat));

    /// <summary>The largest R̂ over the weight-space summaries (the projection).</summary>
    public double MaxWeightRhat => Max(Summaries.Where(s => s.WeightSpace).Select(s => s.Rhat));

    /// <summary>The smallest bulk ESS over all summaries.</summary>
    public double MinBulkEss => Summaries.Count == 0 ? double.NaN : Summaries.Min(s => s.BulkEss);

    /// <summary>The smallest tail ESS over all summaries.</summary>
    public double MinTailEss => Summaries.Count == 0 ? double.NaN : Summaries.Min(s => s.TailEss);

    private static double Max(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : list.Max();
    }
}

/// <summary>
/// Convergence diagnostics of a posterior made of Markov chains (<see cref="ChainSamples"/>): split-R̂, bulk
/// and tail ESS (<see cref="ConvergenceDiagnostics"/>) on the traces recorded while sampling (log posterior,
/// a random projection of θ) and on the predictions at the first few of the given inputs, computed from the
/// kept draws chain by chain.
/// </summary>
public static class ChainDiagnostics
{
    /// <summary>The diagnostics of <paramref name="posterior"/>, or null when it is not made of chains (or they kept fewer than 4 draws each).</summary>
    /// <param name="posterior">Any posterior; only sampled ones have diagnostics.</param>
    /// <param name="inputs">Inputs (e.g. test inputs) whose predictions become summaries, or null for none; not disposed.</param>
    /// <param name="points">How many of the first inputs to use (default 4).</param>
    public static SamplingDiagnostics? Of(IPosterior posterior, Tensor? inputs, int points = 4)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        if (posterior is not WeightPosterior { Distribution: ChainSamples samples } || samples.DrawsPerChain < 4) return null;
        var summaries = new List<SummaryDiagnostic>();
        foreach (var (name, trace) in samples.Traces.OrderBy(t => t.Key, StringComparer.Ordinal))
            summaries.Add(Summarise(name, name == "projection", trace));
        if (inputs is not null && inputs.shape[0] > 0 && points > 0)
            foreach (var (name, trace) in PredictionTraces(posterior, samples, inputs, points))
                summaries.Add(Summarise(name, false, trace));
        return new SamplingDiagnostics(samples.Chains, samples.DrawsPerChain, summaries, samples.Statistics);
    }

    private static SummaryDiagnostic Summarise(string name, bool weightSpace, double[][] trace)
    {
        var s = ConvergenceDiagnostics.Summarise(trace);
        return new SummaryDiagnostic(name, weightSpace, s.Rhat, s.BulkEss, s.TailEss);
    }

    /// <summary>Per input: each draw's predictive mean of the first target (regression) or its probability of the class the model average predicts (classification).</summary>
    private static List<(string Name, double[][] Trace)> PredictionTraces(IPosterior posterior, ChainSamples samples, Tensor inputs, int points)
    {
        long m = Math.Min(points, inputs.shape[0]);
        using var scope = NewDisposeScope();
        using var predictive = posterior.Predict(inputs.narrow(0, 0, m));
        Tensor values; // [S, m]
        if (predictive.Task == TaskKind.Regression) values = predictive.MemberMeans.select(2, 0);
        else
        {
            var classes = predictive.Probabilities.argmax(1); // [m]
            var members = predictive.MemberProbabilities;      // [S, m, C]
            values = members.gather(2, classes.view(1, -1, 1).expand(members.shape[0], -1, 1)).squeeze(2);
        }
        var flat = values.to_type(ScalarType.Float64).cpu().contiguous();
        int d = samples.DrawsPerChain;
        var traces = new List<(string, double[][])>();
        for (int i = 0; i < m; i++)
        {
            var column = flat[.., i].contiguous().data<double>().ToArray();
            traces.Add(($"prediction[{i}]", Enumerable.Range(0, samples.Chains).Select(k => column[(k * d)..((k + 1) * d)]).ToArray()));
        }
        return traces;
    }
}
