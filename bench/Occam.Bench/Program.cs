using Occam.Data;
using Occam.Evaluation;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Inference.Ensembles;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;

using var train = SyntheticData.GapRegression(160, 0);
using var test = SyntheticData.GapRegression(400, 1);
foreach (var (scale, epochs, lr) in new[] { (4.0, 300, 1e-2), (5.0, 300, 1e-2), (5.0, 600, 1e-2), (6.0, 600, 1e-2), (4.0, 600, 3e-3) })
foreach (var seed in new long[] { 0, 1 })
{
    var setup = new ModelSetup { Network = new MlpSpec([50, 50], Activation.ReLU, InitScale: scale), Training = new TrainerOptions { Epochs = epochs, LearningRate = lr } };
    using var post = new EnsembleMethod(setup, 5).Fit(train, new FitContext(seed));
    var s = Evaluator.Evaluate(post, test).Regression!;
    using var gp = post.Predict(linspace(-0.6, 0.6, 31).unsqueeze(1));
    using var dp = post.Predict(cat(new[] { linspace(-1.9, -1.1, 16), linspace(1.1, 1.9, 16) }).unsqueeze(1));
    Console.WriteLine($"s={scale} e={epochs} lr={lr} seed={seed}: LL {s.TestLogLikelihood:F3} rmse {s.Rmse:F3} gap/data {gp.StandardDeviation.mean().item<double>() / dp.StandardDeviation.mean().item<double>():F2}");
}
foreach (var rate in new[] { 0.05, 0.1, 0.2 })
{
    var setup = new ModelSetup { Network = new MlpSpec([50, 50], Activation.ReLU), Training = new TrainerOptions { Epochs = 300, LearningRate = 1e-2 } };
    using var post = new McDropoutMethod(setup, rate, 200).Fit(train, new FitContext(0));
    var s = Evaluator.Evaluate(post, test).Regression!;
    Console.WriteLine($"dropout {rate}: LL {s.TestLogLikelihood:F3} rmse {s.Rmse:F3}");
}
