"""Writes dtypes.safetensors with torch 1.13 tensors in five dtypes, laid out as the reference writer lays them out
(data sorted by dtype size, largest first, then by name; header keys in name order; header padded with spaces to a
multiple of 8 bytes). Written by hand from the format's description, since torch 1.13 has no safetensors package.
Run with /usr/bin/python3 from this folder."""
import json
import struct

import torch

tensors = {
    "conv.weight": torch.arange(8, dtype=torch.float32).reshape(2, 1, 2, 2) * 0.25 - 1,
    "half": torch.tensor([0.5, -2.0, 65504.0, 1e-4], dtype=torch.float16),
    "brain": torch.tensor([[1.0, -0.15625], [3.14159, 1e10]], dtype=torch.bfloat16),
    "double": torch.tensor([1 / 3, -1e-3], dtype=torch.float64),
    "bn.num_batches_tracked": torch.tensor(7, dtype=torch.int64),
    "empty": torch.zeros(0, 3, dtype=torch.float32),
}
names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64"}


def raw(t):
    # bfloat16 has no numpy type: reinterpret its bits as int16.
    t = t.contiguous()
    return (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()


order = sorted(tensors, key=lambda k: (-tensors[k].element_size(), k))
header, blobs, offset = {}, [], 0
for name in order:
    data = raw(tensors[name])
    header[name] = {"dtype": names[tensors[name].dtype], "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"format": "pt", "source": "torch 1.13"}
encoded = json.dumps(dict(sorted(header.items())), separators=(",", ":")).encode("utf-8")
encoded += b" " * ((8 - len(encoded) % 8) % 8)
with open("dtypes.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    f.write(b"".join(blobs))

for name in order:
    print(name, [float(v) for v in tensors[name].float().flatten().tolist()])
