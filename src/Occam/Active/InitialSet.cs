using Occam.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Occam.Active;

/// <summary>Draws the initial labelled set of an active-learning run.</summary>
public static class InitialSet
{
    /// <summary>
    /// <paramref name="count"/> distinct pool rows drawn uniformly with <paramref name="random"/>; class-balanced:
    /// ⌊count / C⌋ rows of every class, and one more of each of count mod C classes drawn at random.
    /// </summary>
    /// <exception cref="ArgumentException">More rows than the pool holds, a balanced set of regression data, fewer labels than classes, or a class with too few rows.</exception>
    public static long[] Choose(Dataset pool, int count, bool classBalanced, Generator random)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(random);
        if (count < 1) throw new ArgumentException($"The initial labelled set needs at least 1 point; got {count}.", "Initial");
        if (count > pool.Count) throw new ArgumentException($"The initial labelled set ({count}) is larger than the pool ({pool.Count} points).", "Initial");
        using var scope = NewDisposeScope();
        if (!classBalanced) return randperm(pool.Count, generator: random).narrow(0, 0, count).data<long>().ToArray();
        if (pool.Task != TaskKind.Classification) throw new ArgumentException("A class-balanced initial set needs classification data.", "ClassBalanced");
        int classes = pool.ClassCount;
        if (count < classes) throw new ArgumentException($"A class-balanced initial set needs at least one label per class: {count} labels for {classes} classes.", "Initial");
        var perClass = Enumerable.Repeat(count / classes, classes).ToArray();
        foreach (var c in randperm(classes, generator: random).narrow(0, 0, count % classes).data<long>().ToArray()) perClass[c]++;
        var labels = pool.Targets.cpu();
        var chosen = new List<long>();
        for (int c = 0; c < classes; c++)
        {
            var rows = (labels == c).nonzero().flatten();
            if (rows.shape[0] < perClass[c])
                throw new ArgumentException($"A class-balanced initial set of {count} needs {perClass[c]} points of class {c}; the pool has {rows.shape[0]}.", "Initial");
            var pick = rows.index_select(0, randperm(rows.shape[0], generator: random).narrow(0, 0, perClass[c]));
            chosen.AddRange(pick.data<long>().ToArray());
        }
        return chosen.ToArray();
    }
}
