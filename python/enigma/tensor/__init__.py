"""Tensors (SPEC §4 "Tensors"): layouts over memory, their views, and per-thread fragments.

tensor.py holds `Tensor` (host data, bound to a buffer in a kernel), element access and
slicing, and `make_tensor`; offset.py the static + traced base offsets and the alignment
proof of traced offsets; partition.py the tiling views (`tensor_composition`,
`tensor_zipped_divide`, `local_tile`, `local_partition`); fragment.py `make_fragment` and
whole-fragment `load`/`store` with vector accesses; swizzled.py the addressing of
swizzled layouts; identity.py the coordinate tensors that predicate partial tiles.
docs/tensors.md is the guide.
"""

from .fragment import make_fragment, vector_width_limit
from .identity import CoordTensor, elem_less, make_identity_tensor
from .partition import local_partition, local_tile, tensor_composition, tensor_zipped_divide
from .tensor import Tensor, make_tensor

__all__ = [
    "CoordTensor", "Tensor", "elem_less", "local_partition", "local_tile", "make_fragment",
    "make_identity_tensor", "make_tensor", "tensor_composition", "tensor_zipped_divide",
    "vector_width_limit",
]  # fmt: skip
