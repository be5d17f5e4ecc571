namespace AnomalyDetection.Tensors.NN;

/// <summary>What a non-strict <see cref="Module.LoadStateDict"/> skipped.</summary>
/// <param name="MissingKeys">Keys the module has but the state dictionary lacked; those tensors kept their values.</param>
/// <param name="UnexpectedKeys">Keys in the state dictionary that the module does not have; they were ignored.</param>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
