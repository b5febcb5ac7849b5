using Occam.Core;
using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Ensembles;
using Occam.Models;
using Occam.Posteriors.Storage;
using Occam.Priors;
using Occam.Training;

public static class ReadmeExample
{
    /// <summary>Fits a deep ensemble to a CSV file, predicts with uncertainty, scores it, saves and reloads it.</summary>
    public static double Run(string csvPath, string modelDirectory)
    {
        using var all = CsvLoader.Load(csvPath, target: "price");             // or UciBenchmark, IdxReader, SyntheticData
        var (train, test) = all.Split(testFraction: 0.2, seed: 0);
        using (train)
        using (test)
        {
            var setup = new ModelSetup
            {
                Network = new MlpSpec([50, 50]),                               // or new LeNetSpec(), or any TorchSharp module: new CustomSpec(...)
                Prior = new GaussianPrior(precision: 1.0),                     // = weight decay 1/N
                Training = new TrainerOptions { Epochs = 40, LearningRate = 1e-2 },
            };
            IPosteriorMethod method = new EnsembleMethod(setup, new EnsembleOptions { Members = 5 });
            using IPosterior posterior = method.Fit(train, new FitContext(Seed: 0));

            using var predictive = posterior.Predict(test.Inputs);             // the Bayesian model average, in original units
            using var mean = predictive.Mean;                                  // [N, 1]
            using var total = predictive.Variance;                             // = aleatoric + epistemic
            using var epistemic = predictive.Epistemic;                        // how much the members disagree
            using var logDensity = predictive.LogDensity(test.Targets);        // [N]

            var scores = Evaluator.Evaluate(posterior, test).Regression!;      // test LL, RMSE, interval coverage
            posterior.Save(modelDirectory);
            using var reloaded = PosteriorStore.Load(modelDirectory);          // predicts exactly as before
            return scores.TestLogLikelihood;
        }
    }
}
