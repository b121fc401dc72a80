// Command bench is the Go baseline for `./build.sh bench`: it renders a
// template file with JSON data through Go's text/template, as benches/render.rs
// does through Chartroom, and reports median times so the two can be compared.
//
// The data is decoded with encoding/json into interface{} values, so numbers
// are float64, as Helm's values are. Standard library only.
//
//	go run ./benches/go -template T -data D -n N -out FILE
//
// It prints `parse_median_ns=…`, `render_median_ns=…`, `renders=…` and
// `output_bytes=…` lines and writes one render's output to -out.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"text/template"
	"time"
)

func main() {
	templatePath := flag.String("template", "benches/data/helm_like.tmpl", "template file")
	dataPath := flag.String("data", "benches/data/helm_like.json", "JSON data file")
	renders := flag.Int("n", 2000, "number of timed renders")
	outPath := flag.String("out", "", "file to write one render's output to")
	flag.Parse()
	if err := run(*templatePath, *dataPath, *renders, *outPath); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(templatePath, dataPath string, renders int, outPath string) error {
	text, err := os.ReadFile(templatePath)
	if err != nil {
		return err
	}
	rawData, err := os.ReadFile(dataPath)
	if err != nil {
		return err
	}
	var data interface{}
	if err := json.Unmarshal(rawData, &data); err != nil {
		return fmt.Errorf("%s: %w", dataPath, err)
	}
	if renders < 1 {
		return fmt.Errorf("-n must be at least 1")
	}

	parses := max(renders/10, 1)
	parseTimes := make([]time.Duration, parses)
	var tmpl *template.Template
	for i := range parseTimes {
		start := time.Now()
		tmpl, err = template.New("helm_like").Parse(string(text))
		parseTimes[i] = time.Since(start)
		if err != nil {
			return err
		}
	}

	var out bytes.Buffer
	for range renders / 10 { // warm-up
		out.Reset()
		if err := tmpl.Execute(&out, data); err != nil {
			return err
		}
	}
	renderTimes := make([]time.Duration, renders)
	for i := range renderTimes {
		out.Reset()
		start := time.Now()
		err := tmpl.Execute(&out, data)
		renderTimes[i] = time.Since(start)
		if err != nil {
			return err
		}
	}

	if outPath != "" {
		if err := os.WriteFile(outPath, out.Bytes(), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("parse_median_ns=%d\n", median(parseTimes).Nanoseconds())
	fmt.Printf("render_median_ns=%d\n", median(renderTimes).Nanoseconds())
	fmt.Printf("renders=%d\n", renders)
	fmt.Printf("output_bytes=%d\n", out.Len())
	return nil
}

func median(times []time.Duration) time.Duration {
	slices.Sort(times)
	return times[len(times)/2]
}
