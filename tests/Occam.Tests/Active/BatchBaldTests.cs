using Occam.Active;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Tests.Active;

/// <summary>BatchBALD's joint entropy and mutual information against brute-force enumeration of every label combination.</summary>
public sealed class BatchBaldTests
{
    /// <summary>Random member probabilities [S, n, C] (float64), from Dirichlet(1)-like normalised exponentials.</summary>
    private static Tensor Table(int members, int points, int classes, long seed)
    {
        using var random = new Generator((ulong)seed);
        using var e = -rand(new long[] { members, points, classes }, ScalarType.Float64, generator: random).log();
        return e / e.sum(new long[] { 2 }, keepdim: true);
    }

    /// <summary>H(y₁…ₙ) = −Σ over all Cⁿ label tuples of p log p, p = (1/S) Σₛ Πᵢ pₛ(yᵢ): plain nested enumeration.</summary>
    private static double BruteForceJointEntropy(double[,,] p)
    {
        int s = p.GetLength(0), n = p.GetLength(1), c = p.GetLength(2);
        var labels = new int[n];
        double entropy = 0;
        for (long tuple = 0; tuple < (long)Math.Pow(c, n); tuple++)
        {
            long rest = tuple;
            for (int i = 0; i < n; i++) { labels[i] = (int)(rest % c); rest /= c; }
            double joint = 0;
            for (int m = 0; m < s; m++)
            {
                double product = 1;
                for (int i = 0; i < n; i++) product *= p[m, i, labels[i]];
                joint += product / s;
            }
            if (joint > 0) entropy -= joint * Math.Log(joint);
        }
        return entropy;
    }

    private static double BruteForceMutualInformation(double[,,] p)
    {
        int s = p.GetLength(0), n = p.GetLength(1), c = p.GetLength(2);
        double conditional = 0;
        for (int m = 0; m < s; m++)
            for (int i = 0; i < n; i++)
                for (int k = 0; k < c; k++)
                    if (p[m, i, k] > 0) conditional -= p[m, i, k] * Math.Log(p[m, i, k]) / s;
        return BruteForceJointEntropy(p) - conditional;
    }

    private static double[,,] Array3(Tensor t)
    {
        var values = t.data<double>().ToArray();
        int s = (int)t.shape[0], n = (int)t.shape[1], c = (int)t.shape[2];
        var result = new double[s, n, c];
        for (int i = 0; i < values.Length; i++) result[i / (n * c), i / c % n, i % c] = values[i];
        return result;
    }

    [Theory]
    [InlineData(5, 1, 3, 1)]
    [InlineData(5, 2, 3, 2)]
    [InlineData(7, 3, 3, 3)]
    [InlineData(4, 4, 3, 4)]
    [InlineData(6, 3, 4, 5)]
    public void JointEntropy_Exact_MatchesEnumeration(int members, int points, int classes, long seed)
    {
        using var table = Table(members, points, classes, seed);
        using var random = new Generator(7);
        double exact = BatchBald.JointEntropy(table, configurations: 4096, random);
        Assert.Equal(BruteForceJointEntropy(Array3(table)), exact, 10);
        Assert.Equal(BruteForceMutualInformation(Array3(table)), BatchBald.MutualInformation(table, 4096, random), 10);
    }

    [Fact]
    public void JointEntropy_Sampled_MatchesEnumerationWithinMonteCarloError()
    {
        // 4 points of 3 classes: 27 configurations before the last point, so a limit of 8 forces sampling.
        using var table = Table(6, 4, 3, seed: 11);
        using var random = new Generator(3);
        double sampled = BatchBald.JointEntropy(table, configurations: 8, random);
        double many = BatchBald.JointEntropy(table, configurations: 20000, random);
        double truth = BruteForceJointEntropy(Array3(table));
        Assert.NotEqual(truth, sampled, 10); // it did sample
        Assert.Equal(truth, many, 1);         // |error| < 0.05 nats with 20,000 configurations (the entropy is about 4.3)
        Assert.True(Math.Abs(truth - many) < 0.03, $"sampled {many} vs exact {truth}");
    }

    [Fact]
    public void Greedy_ScoresAreTheJointMutualInformationOfTheBatchSoFar()
    {
        using var table = Table(5, 6, 3, seed: 21);
        using var random = new Generator(5);
        var (positions, scores) = BatchBald.Greedy(table, 3, configurations: 4096, random);
        Assert.Equal(3, positions.Distinct().Count());
        for (int k = 1; k <= 3; k++)
        {
            using var chosen = table.index_select(1, tensor(positions.Take(k).ToArray()));
            Assert.Equal(BruteForceMutualInformation(Array3(chosen)), scores[k - 1], 9);
        }
        // Each choice maximises the joint score given the earlier ones (checked by enumeration).
        for (int k = 0; k < 3; k++)
        {
            double best = double.NegativeInfinity;
            for (long j = 0; j < 6; j++)
            {
                if (positions.Take(k).Contains(j)) continue;
                using var candidate = table.index_select(1, tensor(positions.Take(k).Append(j).ToArray()));
                best = Math.Max(best, BruteForceMutualInformation(Array3(candidate)));
            }
            Assert.Equal(best, scores[k], 9);
        }
    }

    [Fact]
    public void Greedy_SkipsADuplicate_WhereTopBaldTakesIt()
    {
        // Points 0 and 1 are the same disagreement; point 2 disagrees a little less, on other members.
        var p = new double[]
        {
            0.95, 0.05, 0.95, 0.05, 0.50, 0.50, // member 1
            0.05, 0.95, 0.05, 0.95, 0.50, 0.50, // member 2
            0.95, 0.05, 0.95, 0.05, 0.99, 0.01, // member 3
            0.05, 0.95, 0.05, 0.95, 0.01, 0.99, // member 4
        };
        using var table = tensor(p).view(4, 3, 2);
        using var predictive = Occam.Inference.Predictive.Classification(table.log());
        using var bald = new Bald().Score(predictive);
        Assert.Equal(new long[] { 0, 1 }, Selection.Top(bald, 2).Positions);
        using var random = new Generator(1);
        var (positions, _) = BatchBald.Greedy(table, 2, 4096, random);
        Assert.Equal(new long[] { 0, 2 }, positions);
    }
}
