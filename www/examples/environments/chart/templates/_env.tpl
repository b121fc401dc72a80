{{/*
The settings of the chosen environment, merged over the defaults, as YAML.
Use: {{ $env := include "billing.env" . | fromYaml }}
*/}}
{{- define "billing.env" -}}
{{- $name := .Values.environment | required "set .Values.environment to dev, qa or prod" -}}
{{- if not (has $name (keys .Values.environments)) -}}
{{- fail (printf "unknown environment %q: choose one of %s" $name (keys .Values.environments | sortAlpha | join ", ")) -}}
{{- end -}}
{{- $chosen := index .Values.environments $name -}}
{{- mergeOverwrite (deepCopy .Values.defaults) $chosen | toYaml -}}
{{- end }}

{{- define "billing.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/environment: {{ .Values.environment }}
{{- end }}
