"""Tensors (SPEC §4 "Tensors"): layouts over memory, their views, and per-thread fragments.

tensor.py holds `Tensor` (host data, bound to a buffer in a kernel), element access and
slicing, and `make_tensor`; offset.py the static + traced base offsets and the alignment
proof of traced offsets; partition.py the tiling views (`tensor_composition`,
`tensor_zipped_divide`, `local_tile`, `local_partition`); fragment.py `make_fragment` and
whole-fragment `load`/`store` with vector accesses. docs/tensors.md is the guide.
"""

from .fragment import make_fragment, vector_width_limit
from .partition import local_partition, local_tile, tensor_composition, tensor_zipped_divide
from .tensor import Tensor, make_tensor

__all__ = [
    "Tensor", "local_partition", "local_tile", "make_fragment", "make_tensor",
    "tensor_composition", "tensor_zipped_divide", "vector_width_limit",
]  # fmt: skip
