"""The tracer: kernels traced into Enigma IR and its JSON (docs/architecture.md §1).

No C++ needed: each test traces a kernel defined here and checks the ops, the
conversions made explicit, hoisting, regions and carried values, and that the
JSON document is deterministic.
"""

import json
import math
import os
import time

import numpy as np

import enigma
from enigma import Scalar, f16, f32, i8, i32, i64, u8, u32

FILE = os.path.abspath(__file__)


def line_of(tag: str) -> int:
    """The line of this file that ends with the comment `# <tag>`."""
    with open(FILE) as f:
        for number, text in enumerate(f, 1):
            if text.rstrip().endswith(f"# <{tag}>"):
                return number
    raise AssertionError(f"no line tagged {tag}")


def body(kernel) -> list[dict]:
    return json.loads(kernel.trace().to_json())["body"]


def walk(ops: list[dict]):
    """Every op, depth first, regions included."""
    for op in ops:
        yield op
        for region in op.get("regions", []):
            yield from walk(region["ops"])


def result_type(ops: list[dict], value_id: int) -> str:
    for op in walk(ops):
        for r in op.get("results", []):
            if r["id"] == value_id:
                return r["type"]
    raise AssertionError(f"%{value_id} is not an op result")


def only(ops, name: str, **attrs) -> dict:
    found = [
        o for o in walk(ops) if o["op"] == name and o.get("attrs", {}).items() >= attrs.items()
    ]
    assert len(found) == 1, f"expected one {name} {attrs}, found {len(found)}"
    return found[0]


# --- JSON shape ----------------------------------------------------------------------------------


@enigma.kernel
def vector_add(a: f32, b: f32, c: f32, n: Scalar(u32)):  # <vector_add def>
    i = enigma.thread_position_in_grid
    with enigma.if_(i < n):
        c[i] = a[i] + b[i]  # <vector_add store>


def test_json_document_shape():
    doc = json.loads(vector_add.trace().to_json())
    assert doc["version"] == 1 and doc["kernel"] == "vector_add"
    assert doc["loc"] == [FILE, line_of("vector_add def"), 0]
    assert doc["params"] == [
        {"id": 0, "name": "a", "kind": "buffer", "dtype": "float"},
        {"id": 1, "name": "b", "kind": "buffer", "dtype": "float"},
        {"id": 2, "name": "c", "kind": "buffer", "dtype": "float"},
        {"id": 3, "name": "n", "kind": "scalar", "dtype": "uint"},
    ]
    ops = doc["body"]
    assert [o["op"] for o in ops] == ["builtin", "compare", "if"]
    tid = ops[0]["results"][0]["id"]
    assert ops[0]["attrs"] == {"name": "thread_position_in_grid", "dim": "x"}
    assert ops[1]["operands"] == [tid, 3] and ops[1]["results"][0]["type"] == "bool"
    then, orelse = ops[2]["regions"]
    assert orelse == {"ops": []}  # no else and no results: an empty region
    assert [o["op"] for o in then["ops"]] == ["load", "load", "binary", "store", "yield"]
    load_a, load_b, add, store, _ = then["ops"]
    assert load_a["operands"] == [0, tid] and load_b["operands"] == [1, tid]
    assert add["attrs"] == {"kind": "add"} and add["results"][0]["type"] == "float"
    assert store["operands"] == [2, tid, add["results"][0]["id"]]
    assert store["loc"] == [FILE, line_of("vector_add store"), 8]
    for op in walk(ops):  # every op carries the user's location and only documented keys
        assert op["loc"][0] == FILE
        assert set(op) <= {"op", "operands", "results", "attrs", "regions", "loc"}


def test_value_ids_unique_and_defined_before_use():
    seen = {p["id"] for p in json.loads(two_carries.trace().to_json())["params"]}

    def check(ops):
        for op in ops:
            assert all(v in seen for v in op.get("operands", [])), op
            for region in op.get("regions", []):
                for arg in region.get("args", []):
                    assert arg["id"] not in seen
                    seen.add(arg["id"])
                check(region["ops"])
            for r in op.get("results", []):
                assert r["id"] not in seen
                seen.add(r["id"])

    check(body(two_carries))


def test_deterministic_json():
    first = vector_add.trace().to_json()
    vector_add._ir = None  # force a second, independent trace
    assert vector_add.trace().to_json() == first
    assert two_carries.trace().to_json() == two_carries.trace().to_json()


def test_kernel_object():
    assert vector_add.name == "vector_add"
    params = [(p.name, p.kind, p.dtype) for p in vector_add.params]
    assert params == [("a", "buffer", f32), ("b", "buffer", f32), ("c", "buffer", f32),
                      ("n", "scalar", u32)]  # fmt: skip
    assert vector_add.trace() is vector_add.trace()  # cached


@enigma.kernel
def annotated(a: enigma.Float32, b: "half", c: "u8", d: "enigma.i16", e: Scalar("float")):  # noqa: F821
    i = enigma.thread_position_in_grid
    a[i] = e


def test_annotation_forms():
    dtypes = [p["dtype"] for p in json.loads(annotated.trace().to_json())["params"]]
    assert dtypes == ["float", "half", "uchar", "short", "float"]


def test_format_ir_listing():
    text = vector_add.trace().format_ir()
    assert text.startswith("kernel @vector_add(%0: device float* a")
    assert "store %" in text and "builtin thread_position_in_grid.x : uint" in text
    add_line = next(line for line in text.splitlines() if " = add " in line)
    assert add_line.split("#")[1].strip() == f"test_tracer.py:{line_of('vector_add store')}"


# --- conversions ---------------------------------------------------------------------------------


def sig(op: dict) -> str:
    """An op in short: name, .kind or .fn, and :result types, e.g. `binary.add:uint`."""
    text = op["op"]
    attrs = op.get("attrs", {})
    if "kind" in attrs or "fn" in attrs:
        text += "." + attrs.get("kind", attrs.get("fn"))
    if op.get("results"):
        text += ":" + ",".join(r["type"] for r in op["results"])
    return text


def line_sigs(ops: list[dict], tag: str) -> str:
    """The ops made by one tagged source line (hoisted thread queries aside)."""
    return " ".join(sig(o) for o in ops_on_line(ops, tag))


def ops_on_line(ops: list[dict], tag: str) -> list[dict]:
    return [o for o in walk(ops) if o["loc"][1] == line_of(tag) and o["op"] != "builtin"]


@enigma.kernel
def mixed(ia: i32, ua: u32, ha: f16, fa: f32, ca: i8, la: i64, out_u: u32, out_f: f32):
    i = enigma.thread_position_in_grid
    out_u[i] = ia[i] + ua[i]  # <int+uint>
    out_f[i] = ha[i] + fa[i]  # <half+float>
    out_f[i] = ca[i] + ca[i]  # <char+char>
    out_f[i] = la[i] + ua[i]  # <long+uint>
    out_f[i] = ha[i] * 2  # <half*2>
    out_f[i] = ia[i] < ua[i]  # <int<uint>


def test_usual_arithmetic_conversions():
    ops = body(mixed)
    # int + uint -> uint with the int operand cast explicitly; stored to a uint buffer as is
    assert line_sigs(ops, "int+uint") == "load:int load:uint cast:uint binary.add:uint store"
    cast = ops_on_line(ops, "int+uint")[2]
    assert cast["operands"] == [ops_on_line(ops, "int+uint")[0]["results"][0]["id"]]
    assert line_sigs(ops, "half+float") == "load:half load:float cast:float binary.add:float store"
    # char + char computes in int (C integer promotion); the float store casts the result
    assert line_sigs(ops, "char+char") == (
        "load:char load:char cast:int cast:int binary.add:int cast:float store"
    )
    assert line_sigs(ops, "long+uint") == (
        "load:long load:uint cast:long binary.add:long cast:float store"
    )
    # the literal takes the half's type: a half constant, no cast of the value
    assert line_sigs(ops, "half*2") == "load:half constant:half binary.mul:half cast:float store"
    assert ops_on_line(ops, "half*2")[1]["attrs"] == {"value": 2.0}
    assert line_sigs(ops, "int<uint") == (
        "load:int load:uint cast:uint compare.lt:bool cast:float store"
    )


@enigma.kernel
def division(ia: i32, ua: u32, fa: f32, oi: i32, ou: u32, of: f32):
    i = enigma.thread_position_in_grid
    oi[i] = ia[i] / 3
    oi[i] = ia[i] // 3
    oi[i] = ia[i] % 3
    of[i] = fa[i] // 2.0
    of[i] = fa[i] % 2.0
    ou[i] = ua[i] << 2
    oi[i] = ia[i] >> ua[i]  # <shift>
    oi[i] = ia[i] ** 3
    of[i] = fa[i] ** 0.5
    of[i] = 2.0 ** fa[i]
    oi[i] = -ia[i]
    oi[i] = ~ia[i]
    of[i] = abs(fa[i])


def test_operators_and_kinds():
    ops = body(division)
    computed = [sig(o) for o in ops if o["op"] in ("binary", "unary")]
    assert (
        computed
        == (
            "binary.div:int binary.floordiv:int binary.rem:int binary.floordiv:float"
            " binary.rem:float binary.shl:uint binary.shr:int"
            " binary.mul:int binary.mul:int"  # x**3 = x * (x*x)
            " binary.pow:float binary.pow:float unary.neg:int unary.not:int unary.abs:float"
        ).split()
    )
    # a shift keeps the left operand's type: the uint amount is cast to int
    assert line_sigs(ops, "shift") == "load:int load:uint cast:int binary.shr:int store"


@enigma.kernel
def stores(h: f16, i: i32, b: enigma.b1, v: enigma.float4, n: Scalar(f32)):
    t = enigma.thread_position_in_grid
    h[t] = 0  # <lit-half>
    h[t] = n  # <float-to-half>
    i[t] = n  # <float-to-int>
    b[t] = (n > 0.0) & (n < 1.0)  # <bools>
    v[t] = v[t] * n  # <splat>


def test_store_conversions_and_bool_logic():
    ops = body(stores)
    assert line_sigs(ops, "lit-half") == "constant:half store"
    assert line_sigs(ops, "float-to-half") == "cast:half store"
    assert line_sigs(ops, "float-to-int") == "cast:int store"
    assert line_sigs(ops, "bools") == (
        "constant:float compare.gt:bool constant:float compare.lt:bool binary.and:bool store"
    )
    # float4 * float: the scalar is splatted by a cast to float4
    assert line_sigs(ops, "splat") == "load:float4 cast:float4 binary.mul:float4 store"


@enigma.kernel
def casts_and_select(a: f32, out: i32, n: Scalar(u32)):
    i = enigma.thread_position_in_grid
    x = a[i]
    out[i] = enigma.metal_cast(x, i32) + enigma.metal_cast(x, "int") * 0  # <casts>
    same = enigma.metal_cast(n, u32)  # the same type: no op
    out[i] = enigma.where(-1, 7, x > 0.0)  # <where-literals>
    a[i] = enigma.where(0.0, x, same > 3) + enigma.sqrt(x) + enigma.fmax(x, 1)  # <math>
    a[i] = enigma.metal_cast(1.5, i32) + enigma.exp(1)  # <literal-args>


def test_metal_cast_where_math():
    ops = body(casts_and_select)
    assert line_sigs(ops, "casts") == (
        "cast:int cast:int constant:int binary.mul:int binary.add:int store"
    )
    assert line_sigs(ops, "where-literals") == (
        "constant:float compare.gt:bool constant:int constant:int select:int store"
    )
    # Metal's operand order: cond, false value, true value
    cond, false_v, true_v = ops_on_line(ops, "where-literals")[4]["operands"]
    constants = {o["results"][0]["id"]: o["attrs"]["value"] for o in ops if o["op"] == "constant"}
    assert result_type(ops, cond) == "bool" and (constants[false_v], constants[true_v]) == (-1, 7)
    assert line_sigs(ops, "math") == (
        "constant:uint compare.gt:bool constant:float select:float math.sqrt:float"
        " binary.add:float constant:float binary.max:float binary.add:float store"
    )
    # a float literal cast to int is a float constant and a cast; an int argument of a
    # float function is a float constant
    assert line_sigs(ops, "literal-args") == (
        "constant:float cast:int constant:float math.exp:float cast:float binary.add:float store"
    )


@enigma.kernel
def literals(a: f32, flags: enigma.b1, out: u32):
    y = enigma.thread_position_in_grid("y")  # the proxy is also callable with a dim
    x = a[y]
    a[y] = x**2 + x**0 + np.float32(2.0) * x  # <powers>
    flags[y] = (x > 1.0) == True  # noqa: E712 - a traced comparison, not a Python test
    out[y] = 1 << y  # <shift-literal>


def test_literals_powers_and_proxy():
    ops = body(literals)
    assert only(ops, "builtin")["attrs"] == {"name": "thread_position_in_grid", "dim": "y"}
    # x**2 is one multiplication, x**0 the constant 1, the numpy scalar a float constant
    assert line_sigs(ops, "powers") == (
        "binary.mul:float constant:float binary.add:float constant:float binary.mul:float"
        " binary.add:float store"
    )
    eq = only(ops, "compare", kind="eq")
    assert result_type(ops, eq["operands"][1]) == "bool"
    # the literal 1 takes the type of the uint it is shifted by
    assert line_sigs(ops, "shift-literal") == "constant:uint binary.shl:uint store"


@enigma.kernel
def special_constants(a: f32):
    i = enigma.thread_position_in_grid
    a[i] = enigma.fmax(a[i], -math.inf) + np.float32(0.5)


def test_non_finite_constants_are_strings():
    values = [o["attrs"]["value"] for o in walk(body(special_constants)) if o["op"] == "constant"]
    assert values == ["-inf", 0.5]


# --- builtins, memory ----------------------------------------------------------------------------


@enigma.kernel
def queries(out: u32):
    with enigma.for_range(0, 4) as k:
        inner = enigma.thread_position_in_grid_xyz("x")  # first made inside the loop
        out[inner + k] = enigma.threads_per_grid("y")
    i = enigma.thread_position_in_grid
    out[i] = inner + enigma.grid_size(1) + enigma.arch.thread_idx("z") + enigma.arch.block_idx()
    out[i] = enigma.arch.block_dim() + enigma.thread_position_in_threadgroup("y")
    out[i] = enigma.threadgroup_position_in_grid("x") + enigma.threads_per_threadgroup("x")
    out[i] = enigma.threadgroups_per_grid("z") + enigma.thread_index_in_threadgroup()
    out[i] = enigma.thread_index_in_simdgroup() + enigma.simdgroup_index_in_threadgroup()
    out[i] = enigma.threads_per_simdgroup() + enigma.simdgroups_per_threadgroup()


def test_builtins_hoisted_and_deduplicated():
    ops = body(queries)
    count = sum(o["op"] == "builtin" for o in walk(ops))
    hoisted = ops[:count]  # all at the top of the kernel body, none left in regions
    assert all(o["op"] == "builtin" and o["results"][0]["type"] == "uint" for o in hoisted)
    # in order of first use, each once, including the query first made inside the loop
    names = [o["attrs"]["name"] + "." + o["attrs"].get("dim", "") for o in hoisted]
    assert (
        names
        == (
            "thread_position_in_grid.x threads_per_grid.y thread_position_in_threadgroup.z"
            " threadgroup_position_in_grid.x threads_per_threadgroup.x"
            " thread_position_in_threadgroup.y threadgroups_per_grid.z thread_index_in_threadgroup."
            " thread_index_in_simdgroup. simdgroup_index_in_threadgroup. threads_per_simdgroup."
            " simdgroups_per_threadgroup."
        ).split()
    )


@enigma.kernel
def shared_memory(x: f32, out: f32):
    tid = enigma.thread_index_in_threadgroup()
    with enigma.for_range(0, 2) as k:
        tile = enigma.threadgroup_alloc(f32, 128)  # allocated inside a loop: still kernel scope
        tile[tid] = x[tid + enigma.metal_cast(k, u32)]
        enigma.barrier()
        enigma.simd_barrier("mem_none")
    out[tid] = tile[0]


def test_threadgroup_alloc_and_barriers():
    ops = body(shared_memory)
    assert [o["op"] for o in ops[:2]] == ["builtin", "threadgroup_alloc"]
    alloc = ops[1]
    assert alloc["attrs"] == {"dtype": "float", "size": 128}
    assert alloc["results"][0]["type"] == "threadgroup float[128]"
    barriers = [o["attrs"] for o in walk(ops) if o["op"] == "barrier"]
    assert barriers == [
        {"scope": "threadgroup", "flags": "mem_threadgroup"},
        {"scope": "simdgroup", "flags": "mem_none"},
    ]
    stores = [o for o in walk(ops) if o["op"] == "store"]
    assert stores[0]["operands"][0] == alloc["results"][0]["id"]


# --- control flow --------------------------------------------------------------------------------


@enigma.kernel
def two_carries(a: f32, out: f32, n: Scalar(u32)):
    with enigma.for_range(0, n, init=[0.0, 0]) as (j, acc):
        acc[0] = acc[0] + a[j]
        acc[1] = acc[1] + 1
    out[0] = acc[0] / acc[1]
    with enigma.for_range(10) as k:
        out[k] = 1.0
    with enigma.for_range(0, 8, 2, dtype=u8) as m:
        out[m] = 2.0


def test_for_range_with_carried_values():
    ops = body(two_carries)
    loops = [o for o in ops if o["op"] == "for"]
    assert len(loops) == 3
    loop = loops[0]
    lo, hi, step, init_f, init_i = loop["operands"]
    assert hi == 2  # the uint Scalar n: the index type is uint, the literal bounds follow
    types = [result_type(ops, v) for v in (lo, step, init_f, init_i)]
    assert types == ["uint", "uint", "float", "int"]
    assert [r["type"] for r in loop["results"]] == ["float", "int"]
    region = loop["regions"][0]
    assert [a["type"] for a in region["args"]] == ["uint", "float", "int"]
    yield_op = region["ops"][-1]
    assert yield_op["op"] == "yield" and len(yield_op["operands"]) == 2
    # after the loop, acc[k] are the loop results
    div = only(ops, "binary", kind="div")
    result_ids = [r["id"] for r in loop["results"]]
    cast = next(o for o in walk(ops) if o["op"] == "cast" and o["operands"] == [result_ids[1]])
    assert div["operands"] == [result_ids[0], cast["results"][0]["id"]]
    # for_range(10) counts from 0 with an int index; dtype= picks the index type
    assert loops[1]["regions"][0]["args"][0]["type"] == "int"
    assert loops[2]["regions"][0]["args"][0]["type"] == "uchar"
    assert "results" not in loops[1]


@enigma.kernel
def pow2(out: u32, n: Scalar(u32)):
    with enigma.while_(lambda c: c[0] < n, init=[1]) as c:
        c[0] = c[0] * 2
    out[0] = c[0]
    with enigma.while_(lambda: out[1] != 0):
        out[1] = out[1] - 1


def test_while_loop():
    ops = body(pow2)
    loop = [o for o in ops if o["op"] == "while"][0]
    assert [r["type"] for r in loop["results"]] == ["int"]
    before, after = loop["regions"]
    assert [a["type"] for a in before["args"]] == ["int"]
    cond = before["ops"][-1]
    assert cond["op"] == "condition"
    assert result_type(ops, cond["operands"][0]) == "bool"
    assert cond["operands"][1:] == [before["args"][0]["id"]]
    assert [a["type"] for a in after["args"]] == ["int"]
    assert after["ops"][-1]["op"] == "yield"
    store = next(o for o in ops if o["op"] == "store")  # out[0] = c[0] stores the loop result
    assert result_type(ops, store["operands"][2]) == "uint"
    bare = [o for o in ops if o["op"] == "while"][1]
    assert "operands" not in bare and "args" not in bare["regions"][0]
    assert any(o["op"] == "load" for o in bare["regions"][0]["ops"])  # re-evaluated each time


@enigma.kernel
def branches(x: f32, out: f32):
    i = enigma.thread_position_in_grid
    v = x[i]
    with enigma.if_(v > 0.0) as (then_, else_):
        with then_:
            out[i] = v
        with else_:
            out[i] = -v
    with enigma.if_(v > 1.0, init=[v, 0]) as (then_, else_, r):
        with then_:
            r[0] = v * 2.0
            r[1] = 1
    out[i] = r[0] + enigma.metal_cast(r[1], f32)
    with enigma.if_(v < 0.0, init=[1.0]) as s:
        s[0] = 3.0
    out[i] = s[0]


def test_if_else_and_merged_values():
    ops = body(branches)
    ifs = [o for o in ops if o["op"] == "if"]
    assert len(ifs) == 3
    then, orelse = ifs[0]["regions"]
    assert [o["op"] for o in then["ops"]] == ["store", "yield"]
    assert [o["op"] for o in orelse["ops"]] == ["unary", "store", "yield"]
    merged = ifs[1]
    assert [r["type"] for r in merged["results"]] == ["float", "int"]
    then, orelse = merged["regions"]
    assert len(then["ops"][-1]["operands"]) == 2
    # the missing else passes the initial values through
    assert [o["op"] for o in orelse["ops"]] == ["yield"]
    init_v, init_0 = orelse["ops"][0]["operands"]
    assert result_type(ops, init_v) == "float" and result_type(ops, init_0) == "int"
    assert next(o for o in walk(ops) if o["op"] == "load")["results"][0]["id"] == init_v
    # then-only with values: the else region yields the initial value
    simple = ifs[2]
    assert [o["op"] for o in simple["regions"][1]["ops"]] == ["yield"]
    last_store = [o for o in ops if o["op"] == "store"][-1]
    assert last_store["operands"][2] == simple["results"][0]["id"]


# --- speed ---------------------------------------------------------------------------------------


def test_trace_speed(capsys):
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        vector_add._ir = None
        vector_add.trace().to_json()
    per = (time.perf_counter() - start) / runs
    with capsys.disabled():
        print(f"\n  vector_add trace + to_json: {per * 1e6:.0f} us")
