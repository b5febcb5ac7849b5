using System.Diagnostics;
using static TorchSharp.torch;

namespace Occam.Studies.SgdVsBayes;

/// <summary>What direct sampling of the network prior gave.</summary>
/// <param name="Samples">Networks drawn from the prior.</param>
/// <param name="Accepted">Those that classify S correctly.</param>
/// <param name="Counts">Accepted networks per test function.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record PriorSample(long Samples, long Accepted, IReadOnlyDictionary<UInt128, long> Counts, double Seconds);

/// <summary>
/// A check of P_B(f | S) that needs no Gaussian-process approximation: draw networks of the finite width
/// from the prior (the initialisation distribution), keep those that classify S correctly (rejection),
/// and count their test functions; count_f / accepted estimates P_B(f | S) for the frequent functions.
/// </summary>
public static class PriorSampler
{
    /// <summary>Draws <paramref name="samples"/> networks in chunks of <paramref name="chunkSize"/>.</summary>
    public static PriorSample Run(BooleanTask task, SgdSettings settings, long samples, int chunkSize, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var counts = new Dictionary<UInt128, long>();
        long accepted = 0;
        using var xTrain = SgdSampler.Inputs(task, task.Train);
        using var xTest = SgdSampler.Inputs(task, task.Test);
        using var positive = tensor(task.Train.Select(i => task.Target[i]).ToArray());
        var generator = new Generator((ulong)unchecked(settings.Seed * 7_919 + 17));
        long chunks = (samples + chunkSize - 1) / chunkSize;
        for (long c = 0; c < chunks; c++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            long k = Math.Min(chunkSize, samples - c * chunkSize);
            using var networks = StackedNetworks.Initialise(k, task.Bits, settings.Hidden, settings.WeightSd, settings.BiasSd, generator);
            var fits = networks.Forward(xTrain).gt(0).eq(positive.unsqueeze(0)).all(1);
            var rows = fits.nonzero().reshape(-1);
            if (rows.size(0) > 0)
            {
                networks.Keep(rows);
                foreach (var code in FunctionCodes.Pack(networks.Forward(xTest).gt(0))) counts[code] = counts.GetValueOrDefault(code) + 1;
                accepted += rows.size(0);
            }
            if (progress is not null && (c + 1) % 10 == 0) progress.Report($"prior samples {(c + 1) * chunkSize:N0}/{samples:N0}: {accepted:N0} fit S");
        }
        return new PriorSample(samples, accepted, counts, clock.Elapsed.TotalSeconds);
    }
}
