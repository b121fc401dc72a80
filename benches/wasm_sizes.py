"""The wasm module's size by crate: `twiggy top --format csv` of the module
(with its name section) summed by the crate each function's name starts with.

usage: wasm_sizes.py TWIGGY WASM
"""
import csv
import io
import re
import subprocess
import sys
from collections import Counter

CRATE = re.compile(r"^(?:<)?(?:&?(?:mut )?)?(?:dyn )?([a-z_][a-z0-9_]*)::")


def main():
    twiggy, wasm = sys.argv[1], sys.argv[2]
    text = subprocess.run([twiggy, "top", "-n", "1000000", "--format", "csv", wasm],
                          check=True, capture_output=True, text=True).stdout
    sizes = Counter()
    total = 0
    for row in csv.DictReader(io.StringIO(text)):
        size = int(row["ShallowSize"])
        total += size
        name = row["Name"]
        if name.startswith("data segment") or name.startswith('"function names"') or " subsection" in name:
            sizes["(data and names)"] += size
            continue
        m = CRATE.match(name)
        sizes[m.group(1) if m else "(other)"] += size
    print(f"{'crate':<28} {'bytes':>9} {'share':>6}")
    for crate, size in sizes.most_common(20):
        print(f"{crate:<28} {size:>9} {100 * size / total:>5.1f}%")
    print(f"{'total':<28} {total:>9}")


if __name__ == "__main__":
    main()
