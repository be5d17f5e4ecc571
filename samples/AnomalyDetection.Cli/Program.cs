// The command-line tool: train, evaluate, predict and info on model files.
//   dotnet run -c Release --project samples/AnomalyDetection.Cli -- train --detector sagan --output sagan.adm
using AnomalyDetection.Cli;

return await CliApplication.RunAsync(args, CliConsole.System);
