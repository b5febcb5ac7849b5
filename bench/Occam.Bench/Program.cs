using Occam.Bench;

var repeats = 3;
var result = SpeedBenchmark.Run(repeats);
Console.WriteLine(result);
