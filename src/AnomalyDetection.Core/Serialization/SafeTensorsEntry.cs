namespace AnomalyDetection.Serialization;

/// <summary>One validated tensor description from a safetensors header; offsets are relative to the data section.</summary>
internal sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End);
