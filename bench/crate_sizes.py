#!/usr/bin/env python3
"""Which crates the wasm's code bytes belong to.

    bench/crate_sizes.py FILE.wasm

FILE.wasm must keep its name section (wasm-bindgen --keep-debug, then
wasm-opt -Oz -g; bench/sizes.sh does both from the release build). Sums each
function body's size by the crate its (demangled) name starts in, and prints a
markdown table, largest first. Data segments and glue without a crate path are
reported as such. Sizes are raw bytes after -Oz, before compression: a share of
the code, not of the brotli download.
"""
import re
import sys
from collections import Counter


def leb(buf, i):
    """Reads an unsigned LEB128 at i; returns (value, next index)."""
    v = shift = 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return v, i


def sections(buf):
    i = 8
    while i < len(buf):
        sid = buf[i]
        size, j = leb(buf, i + 1)
        yield sid, buf[j:j + size]
        i = j + size


def imported_functions(payload):
    count, i = leb(payload, 0)
    funcs = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, i = leb(payload, i)
            i += n
        kind = payload[i]
        i += 1
        if kind == 0:  # function: type index
            _, i = leb(payload, i)
            funcs += 1
        elif kind == 1:  # table: elemtype + limits
            i += 1
            flags, i = leb(payload, i)
            _, i = leb(payload, i)
            if flags & 1:
                _, i = leb(payload, i)
        elif kind == 2:  # memory: limits
            flags, i = leb(payload, i)
            _, i = leb(payload, i)
            if flags & 1:
                _, i = leb(payload, i)
        elif kind == 3:  # global: type + mutability
            i += 2
        else:
            raise ValueError(f"unknown import kind {kind}")
    return funcs


def body_sizes(payload):
    count, i = leb(payload, 0)
    sizes = []
    for _ in range(count):
        size, j = leb(payload, i)
        sizes.append(size + (j - i))
        i = j + size
    return sizes


def function_names(payload):
    names = {}
    i = 0
    while i < len(payload):
        sub = payload[i]
        size, j = leb(payload, i + 1)
        if sub == 1:
            k = j
            count, k = leb(payload, k)
            for _ in range(count):
                idx, k = leb(payload, k)
                n, k = leb(payload, k)
                names[idx] = payload[k:k + n].decode("utf-8", "replace")
                k += n
        i = j + size
    return names


GROUPS = [
    ("connector_refresh", "connector-refresh (the app)"),
    ("chrono", "chrono"),
    ("gloo_net", "gloo-net"),
    ("gloo_utils", "gloo-net (gloo-utils)"),
    ("serde_wasm_bindgen", "serde-wasm-bindgen"),
    ("serde_json", "serde_json"),
    ("serde", "serde"),
    ("leptos", "leptos"),
    ("reactive_graph", "leptos (reactive_graph)"),
    ("tachys", "leptos (tachys)"),
    ("any_spawner", "leptos (any_spawner)"),
    ("wasm_bindgen", "wasm-bindgen (+ futures)"),
    ("js_sys", "js-sys"),
    ("web_sys", "web-sys"),
    ("core", "Rust core"),
    ("alloc", "Rust alloc"),
    ("std", "Rust std"),
    ("hashbrown", "hashbrown"),
    ("dlmalloc", "allocator (dlmalloc)"),
]


def crate_of(name):
    # Generic code is named after its instantiation: "<T as x::Y>::f" or
    # "x::y::f<...>"; the first path segment after any leading '<' names the crate.
    # Symbols may carry a disambiguator: "core[c5930c85a12de822]::fmt". Primitive
    # types ("<f64 as core::fmt::Display>") take the first crate path after them.
    m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
    if not m:
        return "other (wasm-bindgen shims, primitives' inherent methods)"
    first = m.group(1)
    for prefix, label in GROUPS:
        if first == prefix:
            return label
    return first


def main():
    buf = open(sys.argv[1], "rb").read()
    imported = 0
    sizes = []
    names = {}
    data = 0
    for sid, payload in sections(buf):
        if sid == 2:
            imported = imported_functions(payload)
        elif sid == 10:
            sizes = body_sizes(payload)
        elif sid == 11:
            data = len(payload)
        elif sid == 0:
            n, k = leb(payload, 0)
            if payload[k:k + n] == b"name":
                names = function_names(payload[k + n:])
    totals = Counter()
    for i, size in enumerate(sizes):
        totals[crate_of(names.get(imported + i, ""))] += size
    totals["data (strings, tables)"] += data
    code = sum(totals.values())
    print(f"| crate | bytes (-Oz, uncompressed) | share |")
    print("|---|---|---|")
    for crate, size in totals.most_common():
        if size * 1000 < code:
            continue
        print(f"| {crate} | {size:,} | {100 * size / code:.1f} % |")
    rest = sum(s for s in totals.values() if s * 1000 < code)
    if rest:
        print(f"| (each under 0.1 %) | {rest:,} | {100 * rest / code:.1f} % |")
    print(f"| **total code + data** | **{code:,}** | |")


if __name__ == "__main__":
    main()
