using Occam.Data;
using Occam.Inference;
using Occam.Inference.Dropout;
using Occam.Likelihoods;
using Occam.Models;
using Occam.Training;
using static TorchSharp.torch;

foreach (var (hidden, rate, learn, scale) in new[] { (new[]{200}, 0.2, false, 1.0), (new[]{200}, 0.5, false, 1.0), (new[]{100,100}, 0.2, false, 1.0), (new[]{100,100}, 0.2, true, 1.0), (new[]{200}, 0.2, false, 3.0) })
{
var setup = new ModelSetup { Network = new MlpSpec(hidden, Activation.ReLU, InitScale: scale), Likelihood = new GaussianLikelihood(0.13, learn), Training = new TrainerOptions { Epochs = 500, LearningRate = 1e-2 } };
using var train = SyntheticData.GapRegression(160, seed: 1);
var m = new McDropoutMethod(setup, rate, 200);
var sw = System.Diagnostics.Stopwatch.StartNew();
using var post = m.Fit(train, new FitContext(Seed: 3));
using var gx = linspace(-0.6, 0.6, 31).unsqueeze(1);
using var dx = cat(new[] { linspace(-1.9, -1.1, 16), linspace(1.1, 1.9, 16) }).unsqueeze(1);
using var gp = post.Predict(gx); using var dp = post.Predict(dx);
Console.WriteLine($"{string.Join("-", hidden)} p={rate} learn={learn} s={scale}: sd gap {gp.StandardDeviation.mean().item<double>():F3} data {dp.StandardDeviation.mean().item<double>():F3}  epi-sd gap {gp.Epistemic.sqrt().mean().item<double>():F3} data {dp.Epistemic.sqrt().mean().item<double>():F3} ({sw.ElapsedMilliseconds} ms)");
}
