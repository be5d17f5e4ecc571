using System.Text.Json.Serialization;

namespace AnomalyDetection.Autoencoder;

/// <summary>The per-pixel error an autoencoder is trained to minimise, and which its anomaly map shows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReconstructionLoss>))]
public enum ReconstructionLoss
{
    /// <summary>The squared error (x − x̂)², averaged: mean squared error.</summary>
    L2,

    /// <summary>The absolute error |x − x̂|, averaged: mean absolute error.</summary>
    L1,
}
