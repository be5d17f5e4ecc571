// The evaluation harness of issue #8: trains a detector with a named configuration on a data set folder, evaluates
// it on the folder's test split and appends one row per seed to benchmarks/results/results.jsonl; `render` turns the
// rows into docs/benchmarks.md.
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Evaluation -- run --dataset ../shared/datasets/ph2_dermoscopy --detector patchgan --config patchgan-64 --seed 0 1 2
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Evaluation -- render
using AnomalyDetection.Evaluation;

return await EvaluationApplication.RunAsync(args, Console.Out, Console.Error);
