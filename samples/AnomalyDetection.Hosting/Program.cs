// The hosting sample: the library inside a generic-host application. Detectors are registered by name from
// appsettings.json; a background service loads the trained model file (training a small detector on the embedded
// data first when there is none), scores a folder in batches, writes a CSV and stops the host.
//   dotnet run -c Release --project samples/AnomalyDetection.Hosting [-- --Scan:InputFolder=FOLDER --Scan:OutputCsv=FILE]
using AnomalyDetection.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

try
{
    using var host = ScanHost.CreateBuilder(args).Build();
    var scanner = host.Services.GetRequiredService<FolderScanner>();
    await host.RunAsync();
    // The host stops when the scan ends, also when it failed; the scan's own task says which.
    if (scanner.ExecuteTask?.Exception?.GetBaseException() is { } failure)
    {
        await Console.Error.WriteLineAsync("The scan failed: " + failure.Message);
        return 1;
    }

    return 0;
}
catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
{
    // Options are validated when the host starts, so a bad setting stops it before any work, with this message.
    await Console.Error.WriteLineAsync("Invalid configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", failures));
    return 2;
}

// Start-up validation throws one OptionsValidationException, or an AggregateException of them when several options fail.
static List<string> ValidationFailures(Exception exception) => exception switch
{
    OptionsValidationException validation => [.. validation.Failures],
    AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
        [.. aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
    _ => [],
};
