namespace AnomalyDetection.Tensors.Optim;

/// <summary>The per-step constants of an Adam update, computed in double and rounded to float32 once, as PyTorch passes them to its kernels.</summary>
internal readonly record struct AdamScalars(float Decay, float L2, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
    float BiasCorrection2Sqrt, float Epsilon, float NegativeStepSize);

/// <summary>The per-step constants of an RMSprop update.</summary>
internal readonly record struct RMSpropScalars(float WeightDecay, float Alpha, float OneMinusAlpha, float Epsilon, float Momentum, float NegativeLearningRate);

/// <summary>The per-step constants of an SGD update.</summary>
internal readonly record struct SgdScalars(float WeightDecay, float BufferMomentum, float GradientScale, float Momentum, bool Nesterov, float NegativeLearningRate);
