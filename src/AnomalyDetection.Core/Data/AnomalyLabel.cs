namespace AnomalyDetection.Data;

/// <summary>The ground truth of one image.</summary>
public enum AnomalyLabel
{
    /// <summary>Not known, for example in an unlabelled pool for semi-supervised training.</summary>
    Unknown,

    /// <summary>A normal (healthy, defect-free) image.</summary>
    Normal,

    /// <summary>An abnormal image: a lesion, tumour, defect or other anomaly.</summary>
    Abnormal,
}
