using Occam.Active;
using Occam.Core;

namespace Occam.Tests.Active;

/// <summary>Acquisition reads only the predictive, so it runs with every registered method, or is refused up front where the method has no epistemic part.</summary>
public sealed class AnyMethodTests
{
    public static TheoryData<string> Methods
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in MethodRegistry.Default.Names) data.Add(name);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Bald_RunsWithEveryMethodThatHasAnEpistemicPart(string name)
    {
        var (pool, test) = ActiveTestData.Moons(60);
        using (pool)
        using (test)
        {
            var method = MethodRegistry.Default.Find(name)!.Create(ActiveTestData.Setup(epochs: name.StartsWith("csg", StringComparison.Ordinal) ? 24 : 8)); // enough steps for SWAG to collect deviations and for four sampling cycles with a sampling phase each
            var options = new ActiveLearningOptions { Initial = 10, Acquire = 5, Budget = 15, Samples = 6, TestSamples = 6 };
            var learner = new ActiveLearner(method, new Bald(), options);
            if (!method.HasEpistemicPart)
            {
                Assert.Throws<ArgumentException>(() => learner.Run(pool, test));
                return;
            }
            var run = learner.Run(pool, test, new ActiveRunContext(Seed: 1));
            Assert.Equal([10, 15], run.Rounds.Select(r => r.Labels));
            Assert.Equal(15, run.Labelled.Distinct().Count());
        }
    }
}
