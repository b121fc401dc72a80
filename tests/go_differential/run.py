#!/usr/bin/env python3
"""Differential test: `chartroom tpl` against Go's own text/template.

Generates template texts from a fixed seed (printf with every verb, flag,
width, precision and argument index; print, println, len, index, the
comparisons, and/or/not, html/js/urlquery; if/with/range (over lists, maps,
strings, numbers, with break and continue), variables, define/template/
block, trim markers) over values of every kind a chart sees: float64 from a
values file, int64 from --set, strings with non-ASCII text, bools, nil,
lists and maps. Each text is rendered by the Go program beside this file
(Go's text/template, set up as Helm sets it up) and by `chartroom tpl`;
outputs and error texts must be identical.

Only Go's built-in functions are used: Helm replaces some with Sprig's
(`slice`), which the Go side does not have.

    run.py --go GO_PROGRAM --chartroom CHARTROOM [--seed N] [--cases N] [--jobs N]

Prints every difference and a last line `N cases (M errors): K differ`;
exits 1 if any differ.
"""

import argparse
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile

FLOAT_VALUES = {
    "i0": 0, "i42": 42, "ineg": -7, "imil": 1000000, "ibig": 123456789012, "i21": 1e21,
    "i20": 100000000000000000000, "f": 3.14159, "fsmall": 0.000001, "ftiny": 1e-7, "fhalf": 2.5,
    "fneg": -0.5, "fexp": 6.02e23, "fint": 5.0,
}
INT64_VALUES = {"n5": 5, "nneg": -3, "n0": 0, "nbig": 4000000000, "n42": 42}
OTHER_VALUES = {
    "s": "hi", "se": "", "su": "h\u00e9llo", "sq": "a\"b'c", "st": "tab\there\nnl",
    "sj": "\u65e5\u672c\u8a9e", "sc": "<a&b>", "sn": "42", "sf": "3.5", "sy": "\u00ff\u0100",
    "semoji": "\U0001F600x", "t": True, "fl": False, "n": None,
    "l": [1, "a", True, None, 2.5], "le": [], "ls": ["b", "a", "c"], "ln": [3, 1, 2],
    "m": {"x": 1, "y": "z", "a": [1, 2]}, "me": {}, "mm": {"k": {"k2": "v"}},
}
VALUES = {**FLOAT_VALUES, **INT64_VALUES, **OTHER_VALUES}

LITERALS = [
    "42", "-3", "3.5", "1e3", "0x1F", "'a'", "'\\n'", '"str"', "`raw`", "true", "false", "nil",
    "0", "-0", "1_000", "0o17", "0b101", "1.5e-3", "'\u00e9'", "0x1p-2", "1e21",
    "100000000000000000000",
]
PATHS = [
    ".Values.missing", ".Values.m.x", ".Values.mm.k.k2", ".Values.m.a", ".Values.n.x",
    ".Values.m.nope", ".Values", "(index .Values.l 1)", "(len .Values.ls)", '(printf "%d" 3)',
    ".Values.s.x", ".Values.l.x",
]


class Generator:
    def __init__(self, seed):
        self.rnd = random.Random(seed)

    def arg(self):
        r = self.rnd.random()
        if r < 0.65:
            return ".Values." + self.rnd.choice(list(VALUES))
        if r < 0.9:
            return self.rnd.choice(LITERALS)
        return self.rnd.choice(PATHS)

    def format_string(self):
        rnd = self.rnd
        parts = []
        for _ in range(rnd.randint(1, 3)):
            if rnd.random() < 0.3:
                parts.append(rnd.choice(["x", " ", "-", "\u00e9", "%%", ""]))
            flags = "".join(rnd.sample("+-# 0", rnd.randint(0, 2)))
            width = rnd.choice(["", "", "1", "5", "12", "*", "08"])
            precision = rnd.choice(["", "", "", ".0", ".2", ".5", ".*", ".10", "."])
            index = rnd.choice([""] * 8 + ["[1]", "[2]", "[3]", "[0]"])
            verb = rnd.choice("vvvvddsssqqxXoObeEfFgGtcUT%z")
            parts.append("%" + flags + width + precision + index + verb)
        return json.dumps("".join(parts), ensure_ascii=False)

    def args(self, low, high):
        return " ".join(self.arg() for _ in range(self.rnd.randint(low, high)))

    def expression(self):
        rnd = self.rnd
        r = rnd.random()
        if r < 0.5:
            return f"printf {self.format_string()} {self.args(0, 3)}"
        if r < 0.6:
            return f"{rnd.choice(['print', 'println'])} {self.args(1, 4)}"
        if r < 0.67:
            return f"len {self.arg()}"
        if r < 0.75:
            keys = " ".join(
                rnd.choice(["0", "1", '"x"', '"k"', "5", "-1", ".Values.i0", ".Values.n5"])
                for _ in range(rnd.randint(1, 2))
            )
            return f"index {self.arg()} {keys}"
        if r < 0.85:
            op = rnd.choice(["eq", "ne", "lt", "le", "gt", "ge"])
            return f"{op} {self.arg()} {self.args(1, 2)}"
        if r < 0.92:
            return f"{rnd.choice(['and', 'or', 'not'])} {self.args(1, 3)}"
        return f"{rnd.choice(['html', 'js', 'urlquery'])} {self.args(1, 2)}"

    def statement(self, depth=0):
        rnd = self.rnd
        r = rnd.random()
        if depth > 2 or r < 0.5:
            left = rnd.choice(["{{", "{{- "])
            right = rnd.choice(["}}", " -}}"])
            return left + self.expression() + right + rnd.choice(["|", " ", "\n", " x "])

        def body():
            return "".join(self.statement(depth + 1) for _ in range(rnd.randint(1, 2)))

        if r < 0.6:
            rest = rnd.choice(["", "{{else}}" + body(), f"{{{{else if {self.arg()}}}}}" + body()])
            return f"{{{{if {self.arg()}}}}}" + body() + rest + "{{end}}"
        if r < 0.7:
            rest = rnd.choice(["", "{{else}}" + body()])
            return f"{{{{with {self.arg()}}}}}" + body() + rest + "{{end}}"
        if r < 0.82:
            source = rnd.choice([self.arg(), self.arg(), "3", "0", "-2", ".Values.n5", "2.5"])
            variables = rnd.choice(["", "$v := ", "$k, $v := ", "$i := "])
            inner = body() + rnd.choice(["", "", "{{if eq 1 1}}{{break}}{{end}}", "{{continue}}"])
            rest = rnd.choice(["", "{{else}}E"])
            return f"{{{{range {variables}{source}}}}}" + inner + rest + "{{end}}"
        if r < 0.9:
            return f"{{{{$x := {self.arg()}}}}}{{{{$x = {self.arg()}}}}}{{{{$x}}}}|"
        return (
            f'{{{{define "a"}}}}[{{{{.}}}}]{{{{end}}}}{{{{template "a" {self.arg()}}}}}'
            f'{{{{block "b" {self.arg()}}}}}<{{{{.}}}}>{{{{end}}}}'
        )

    def template(self):
        return "".join(self.statement() for _ in range(self.rnd.randint(1, 3)))


def render_with_chartroom(chartroom, values_file, set_flag, template):
    done = subprocess.run(
        [chartroom, "tpl", template, "-f", values_file, "--set", set_flag],
        capture_output=True,
        text=True,
    )
    if done.returncode == 0:
        return {"output": done.stdout, "error": ""}
    return {"output": "", "error": done.stderr.removesuffix("\n").removeprefix("Error: ")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--go", required=True, help="the built Go program of this directory")
    parser.add_argument("--chartroom", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    generator = Generator(args.seed)
    templates = [generator.template() for _ in range(args.cases)]
    go_input = "".join(
        json.dumps({"template": t, "values": VALUES, "int64": list(INT64_VALUES)}) + "\n"
        for t in templates
    )
    go = subprocess.run([args.go], input=go_input, capture_output=True, text=True, check=True)
    expected = [json.loads(line) for line in go.stdout.splitlines()]
    if len(expected) != len(templates):
        sys.exit(f"the Go program answered {len(expected)} of {len(templates)} cases")

    file_values = {k: v for k, v in VALUES.items() if k not in INT64_VALUES}
    set_flag = ",".join(f"{k}={v}" for k, v in INT64_VALUES.items())
    with tempfile.TemporaryDirectory() as tmp:
        values_file = os.path.join(tmp, "values.yaml")
        with open(values_file, "w", encoding="utf-8") as f:
            # JSON is YAML; written as UTF-8, since go-yaml refuses the
            # surrogate-pair escapes JSON would use for the emoji.
            json.dump(file_values, f, ensure_ascii=False)
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            actual = list(
                pool.map(
                    lambda t: render_with_chartroom(args.chartroom, values_file, set_flag, t),
                    templates,
                )
            )

    differ = 0
    for template, want, got in zip(templates, expected, actual):
        if want != got:
            differ += 1
            print(f"DIFFER {json.dumps(template, ensure_ascii=False)}")
            print(f"  go:        {json.dumps(want, ensure_ascii=False)}")
            print(f"  chartroom: {json.dumps(got, ensure_ascii=False)}")
    errors = sum(1 for want in expected if want["error"])
    print(f"{len(templates)} cases ({errors} errors, seed {args.seed}): {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
