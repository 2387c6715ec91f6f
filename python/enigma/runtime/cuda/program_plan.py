"""An @enigma.jit program called on cuda, `prog(*arrays, device="cuda")`, device arrays in place.

A `ProgramPlan` is what one program and one set of function-constant values
need, built once and kept per thread by the runtime: each launch's loaded
function, checked block counts, kernelParams storage (its Scalars filled in)
and which program buffer feeds each of its buffer parameters; and per buffer
the checks a call makes. A call checks each array as a direct kernel call does
(a torch CUDA tensor through its own attributes, any other device array through
`device_array`, a numpy array through `check_buffer`), then that it holds the
buffer's extent (the elements its Tensors' layouts can touch), all before any
launch. With device arrays only, the launches are enqueued in order on the
arrays' stream (torch's or cupy's current one) and not waited for: no copy, no
synchronization. numpy arrays are mirrored in device buffers for the call,
and the ones the program writes are copied back after the launches finish.
"""

from __future__ import annotations

from ..arguments import KernelLike, check_buffer, check_count, check_scalar, kernel_params
from ..program import check_extent, launch_specializations
from . import driver
from .direct import TORCH_NAMES, torch_pointer
from .marshal import KernelArguments, device_array, is_device_array, required_alignment


class _Launch:
    """One launch of the plan: its kernelParams, and (parameter, program buffer) pairs."""

    __slots__ = ("arguments", "slots", "launches")

    def __init__(self, runtime, launch, specialization, position: dict[int, int]):
        kernel = launch.kernel
        params = kernel_params(kernel)
        function = runtime.function(kernel, specialization)
        runtime.check_threads(kernel, function, launch.threads, launch.block)
        arguments = list(zip(params, launch.arguments, strict=True))
        scalars = {
            i: check_scalar(kernel, p, value)
            for i, (p, (kind, value)) in enumerate(arguments)
            if kind == "scalar"
        }
        self.slots = tuple(
            (i, position[value])
            for i, (_, (kind, value)) in enumerate(arguments)
            if kind == "buffer"
        )
        self.arguments = KernelArguments(params, scalars, {i: 0 for i, _ in self.slots})
        self.arguments.set_grid(launch.threads)
        dims = function.dims(launch.threads, launch.block)
        self.launches = driver.StreamLaunches(
            function.handle, dims, self.arguments.address, kernel.kernel_name
        )

    def run(self, pointers: list[int], stream: int) -> None:
        for index, buffer in self.slots:
            self.arguments.set_pointer(index, pointers[buffer])
        # cuLaunchKernel copies kernelParams: the next launch may refill them
        self.launches.run(stream)


class ProgramPlan:
    """One program's launches with one set of function constants, reused by every call."""

    def __init__(self, runtime, program: KernelLike, constants):
        self.runtime, self.program = runtime, program
        self.params = kernel_params(program)
        position = {p.buffer_index: i for i, p in enumerate(self.params)}
        specializations = launch_specializations(program, constants)
        self.launches = [
            _Launch(runtime, launch, specialization, position)
            for launch, specialization in zip(program.launches, specializations, strict=True)
        ]
        self._checks = [
            (p, TORCH_NAMES.get(p.dtype.scalar.name), required_alignment(p), extent,
             extent * p.dtype.itemsize)
            for p, extent in zip(self.params, program.extents, strict=True)
        ]  # fmt: skip
        self._torch_dtypes: dict[str, object] = {}

    def run(self, arrays, stream: int) -> None:
        """Check every array, then launch in order: enqueued only with device arrays only,
        waited for and copied back where a numpy array takes part."""
        if len(arrays) != len(self.params):
            check_count(self.program, self.params, len(arrays))
        pointers, host = [], []
        for i, ((param, torch_name, alignment, extent, need), value) in enumerate(
            zip(self._checks, arrays, strict=True)
        ):
            pointer = torch_pointer(value, torch_name, self._torch_dtypes)
            if pointer is not None and not pointer % alignment:
                nbytes = value.nbytes
            elif pointer is not None or is_device_array(value):
                pointer, nbytes = device_array(self.program, param, value)  # or its LaunchError
            else:
                value = check_buffer(self.program, param, value)
                nbytes = value.nbytes
                host.append((i, value))
            if nbytes < need:
                check_extent(self.program, param, nbytes, extent)
            pointers.append(pointer)
        if not host:
            for launch in self.launches:
                launch.run(pointers, stream)
            return
        self._run_mirrored(pointers, host, stream)

    def _run_mirrored(self, pointers: list, host: list, stream: int) -> None:
        """The launches with numpy arrays in device buffers for this call, then copied back."""
        from .runtime import DeviceMirror  # late: the runtime module imports this one

        mirror = DeviceMirror(self.runtime.gpu)
        try:
            for i, array in host:
                pointers[i] = mirror.pointer_for(array)
            if stream:  # the uploads finish before a (possibly non-blocking) stream reads
                self.runtime.gpu.synchronize()
            for launch in self.launches:
                launch.run(pointers, stream)
            written = [array for i, array in host if self.params[i].writes]
            mirror.newer_on_device.update(mirror.ids(written))
            mirror.to_host(written)  # waits for the launches first
        finally:
            mirror.release()
