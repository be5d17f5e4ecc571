using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

/// <summary>The convolution, linear-algebra, normalisation, pooling, resampling and movement cases of the PyTorch golden
/// fixtures (tools/golden/make_op_fixtures.py, computed in float64 and stored as float32).</summary>
public class StructuralFixtureTests
{
    public static TheoryData<string> Cases => new()
    {
        "conv2d_3x3_s1_p1_bias", "conv2d_4x4_s2_p1", "conv2d_3x3_dilation2", "conv2d_7x7_p3", "conv2d_1x1_bias",
        "conv_transpose2d_4x4_s2_p1", "conv_transpose2d_3x3_s2_p1_op1_bias", "matmul_2d", "matmul_batched_broadcast", "linear_bias",
        "instance_norm_affine", "instance_norm_plain", "batch_norm_train_affine", "layer_norm_last2",
        "avg_pool_2_s2", "avg_pool_3_s2_p1", "max_pool_3_s2_p1", "upsample_nearest_x2", "upsample_bilinear", "upsample_bilinear_align",
        "downsample_bilinear", "pad_asymmetric", "unfold_2x2_s2", "unfold_3x3_p1", "fold_2x2_s2", "fold_3x3_p1", "permute_0231",
        "concat_dim1", "slice_dim2",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_MatchesPyTorch(string name) => OpFixture.Load(name).Check(Operation(name), absolute: 2e-5, relative: 2e-4);

    private static Func<Tensor[], Tensor> Operation(string name) => name switch
    {
        "conv2d_3x3_s1_p1_bias" => t => Functional.Conv2d(t[0], t[1], t[2], stride: 1, padding: 1),
        "conv2d_4x4_s2_p1" => t => Functional.Conv2d(t[0], t[1], null, stride: 2, padding: 1),
        "conv2d_3x3_dilation2" => t => Functional.Conv2d(t[0], t[1], t[2], stride: 1, padding: 2, dilation: 2),
        "conv2d_7x7_p3" => t => Functional.Conv2d(t[0], t[1], null, padding: 3),
        "conv2d_1x1_bias" => t => Functional.Conv2d(t[0], t[1], t[2]),
        "conv_transpose2d_4x4_s2_p1" => t => Functional.ConvTranspose2d(t[0], t[1], null, stride: 2, padding: 1),
        "conv_transpose2d_3x3_s2_p1_op1_bias" => t => Functional.ConvTranspose2d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1),
        "matmul_2d" or "matmul_batched_broadcast" => t => Functional.MatMul(t[0], t[1]),
        "linear_bias" => t => Functional.Linear(t[0], t[1], t[2]),
        "instance_norm_affine" => t => Functional.InstanceNorm2d(t[0], null, null, t[1], t[2]),
        "instance_norm_plain" => t => Functional.InstanceNorm2d(t[0], null, null, null, null),
        "batch_norm_train_affine" => t => Functional.BatchNorm2d(t[0], null, null, t[1], t[2], training: true),
        "layer_norm_last2" => t => Functional.LayerNorm(t[0], 2, t[1], t[2]),
        "avg_pool_2_s2" => t => Functional.AvgPool2d(t[0], 2, 2),
        "avg_pool_3_s2_p1" => t => Functional.AvgPool2d(t[0], 3, 2, 1),
        "max_pool_3_s2_p1" => t => Functional.MaxPool2d(t[0], 3, 2, 1),
        "upsample_nearest_x2" => t => Functional.UpsampleNearest2d(t[0], 8, 6),
        "upsample_bilinear" => t => Functional.UpsampleBilinear2d(t[0], 7, 9),
        "upsample_bilinear_align" => t => Functional.UpsampleBilinear2d(t[0], 7, 9, alignCorners: true),
        "downsample_bilinear" => t => Functional.UpsampleBilinear2d(t[0], 3, 4),
        "pad_asymmetric" => t => Functional.Pad(t[0], 1, 2, 0, 3, 0.5f),
        "unfold_2x2_s2" => t => Functional.Unfold(t[0], 2, stride: 2),
        "unfold_3x3_p1" => t => Functional.Unfold(t[0], 3, padding: 1),
        "fold_2x2_s2" => t => Functional.Fold(t[0], 4, 6, 2, stride: 2),
        "fold_3x3_p1" => t => Functional.Fold(t[0], 4, 4, 3, padding: 1),
        "permute_0231" => t => t[0].Permute(0, 2, 3, 1),
        "concat_dim1" => t => Tensor.Concat([t[0], t[1]], 1),
        "slice_dim2" => t => t[0].Slice(2, 1, 3),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No operation for this fixture."),
    };
}
