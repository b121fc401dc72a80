// The Go side of the differential test (tests/go_differential/run.py):
// renders template texts with Go's own text/template as Helm sets it up
// (missingkey=zero, `.Values` of type chartutil.Values, "<no value>"
// removed from the output, parse errors rewritten as Helm's engine does),
// with Go's built-in functions only.
//
// Input, one JSON object per line: {"template": ..., "values": {...},
// "int64": ["key", ...]} (top-level values to hold as int64, as `--set`
// makes them; JSON numbers are float64, as values files make them).
// Output, one JSON object per line: {"output": ..., "error": ...}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	"chartroom.example/godiff/chartutil"
)

// The name `chartroom tpl` gives its template.
const name = "chartroom/templates/tpl"

type input struct {
	Template string                 `json:"template"`
	Values   map[string]interface{} `json:"values"`
	Int64    []string               `json:"int64"`
}

type result struct {
	Output string `json:"output"`
	Error  string `json:"error"`
}

// helmParseError is Helm's cleanupParseError.
func helmParseError(err error) string {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Sprintf("parse error in (%s): %s", name, err)
	}
	return fmt.Sprintf("parse error at (%s): %s", tokens[1], tokens[len(tokens)-1])
}

func render(in input) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{Error: fmt.Sprintf("panic: %v", r)}
		}
	}()
	for _, key := range in.Int64 {
		if f, ok := in.Values[key].(float64); ok {
			in.Values[key] = int64(f)
		}
	}
	t, err := template.New(name).Option("missingkey=zero").Parse(in.Template)
	if err != nil {
		return result{Error: helmParseError(err)}
	}
	var out strings.Builder
	top := map[string]interface{}{"Values": chartutil.Values(in.Values)}
	if err := t.Execute(&out, top); err != nil {
		return result{Error: err.Error()}
	}
	return result{Output: strings.ReplaceAll(out.String(), "<no value>", "")}
}

func main() {
	lines := bufio.NewScanner(os.Stdin)
	lines.Buffer(make([]byte, 1<<20), 1<<26)
	results := json.NewEncoder(os.Stdout)
	for lines.Scan() {
		var in input
		if err := json.Unmarshal(lines.Bytes(), &in); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			os.Exit(2)
		}
		if err := results.Encode(render(in)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := lines.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
