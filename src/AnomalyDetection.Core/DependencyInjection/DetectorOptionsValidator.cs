using AnomalyDetection.Detection;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.DependencyInjection;

/// <summary>Validates named detector options with their own <see cref="DetectorOptions.Validate"/> rules.</summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class DetectorOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : DetectorOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"Detector '{name}': {p}."));
    }
}
