// Package chartutil names the type Helm gives `.Values`, so that `%T` and
// error texts print `chartutil.Values` as in Helm.
package chartutil

// Values is the type of `.Values` in a Helm render.
type Values map[string]interface{}
