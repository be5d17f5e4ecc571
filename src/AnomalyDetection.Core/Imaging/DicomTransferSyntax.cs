namespace AnomalyDetection.Imaging;

/// <summary>How a DICOM data set after the file meta information is encoded, from its transfer syntax UID.</summary>
internal enum DicomEncoding
{
    /// <summary>Implicit VR little endian (1.2.840.10008.1.2), the default DICOM encoding.</summary>
    ImplicitLittle,

    /// <summary>Explicit VR little endian (1.2.840.10008.1.2.1).</summary>
    ExplicitLittle,

    /// <summary>Deflated explicit VR little endian (1.2.840.10008.1.2.1.99): the data set is raw deflate data.</summary>
    DeflatedExplicitLittle,

    /// <summary>JPEG baseline, process 1 (1.2.840.10008.1.2.4.50): explicit VR little endian, encapsulated pixel data.</summary>
    JpegBaseline,
}

/// <summary>Maps transfer syntax UIDs to the encodings this reader handles, and names the ones it refuses.</summary>
internal static class DicomTransferSyntax
{
    /// <summary>The encoding of <paramref name="uid"/>, or <see langword="null"/> if it is not read.</summary>
    public static DicomEncoding? EncodingOf(string uid) => uid switch
    {
        "1.2.840.10008.1.2" => DicomEncoding.ImplicitLittle,
        "1.2.840.10008.1.2.1" => DicomEncoding.ExplicitLittle,
        "1.2.840.10008.1.2.1.99" => DicomEncoding.DeflatedExplicitLittle,
        "1.2.840.10008.1.2.4.50" => DicomEncoding.JpegBaseline,
        _ => null,
    };

    /// <summary>A readable name for a transfer syntax UID, for the message that refuses it.</summary>
    public static string Describe(string uid)
    {
        var name = uid switch
        {
            "1.2.840.10008.1.2.2" => "explicit VR big endian (retired)",
            "1.2.840.10008.1.2.4.51" => "JPEG extended (process 2 and 4)",
            "1.2.840.10008.1.2.4.57" => "JPEG lossless (process 14)",
            "1.2.840.10008.1.2.4.70" => "JPEG lossless, first-order prediction (process 14, selection value 1)",
            "1.2.840.10008.1.2.4.80" => "JPEG-LS lossless",
            "1.2.840.10008.1.2.4.81" => "JPEG-LS near-lossless",
            "1.2.840.10008.1.2.4.90" => "JPEG 2000 lossless",
            "1.2.840.10008.1.2.4.91" => "JPEG 2000",
            "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => "High-Throughput JPEG 2000",
            "1.2.840.10008.1.2.5" => "RLE lossless",
            "1.2.840.10008.1.2.4.100" or "1.2.840.10008.1.2.4.101" or "1.2.840.10008.1.2.4.102" or "1.2.840.10008.1.2.4.103"
                or "1.2.840.10008.1.2.4.104" or "1.2.840.10008.1.2.4.105" or "1.2.840.10008.1.2.4.106" => "MPEG video",
            "1.2.840.10008.1.2.1.98" => "encapsulated uncompressed explicit VR little endian",
            _ => "unknown",
        };
        return $"'{uid}' ({name})";
    }
}
