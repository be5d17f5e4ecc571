namespace AnomalyDetection.Randomness;

/// <summary>
/// A <see cref="RandomSource"/>'s position in its sequence: the four xoshiro256** words and the normal value drawn but
/// not yet returned. Restoring it continues the sequence exactly where it was captured.
/// </summary>
/// <param name="S0">The first state word.</param>
/// <param name="S1">The second state word.</param>
/// <param name="S2">The third state word.</param>
/// <param name="S3">The fourth state word.</param>
/// <param name="SpareNormal">The second Box–Muller value of the last pair, when it has not been returned yet.</param>
public readonly record struct RandomSourceState(ulong S0, ulong S1, ulong S2, ulong S3, float? SpareNormal);
