listen: {{ .Values.listenPort }}
routes:
{{- range .Values.upstreams }}
  - prefix: /{{ .name }}
    upstream: {{ .url }}
{{- end }}
