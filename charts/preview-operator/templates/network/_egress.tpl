{{/* Egress of the operator and gateway pods: DNS, the API server, PostgreSQL, S3. */}}
{{- define "preview-operator.egressRules" -}}
{{- $egress := .Values.networkPolicy.egress }}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
  {{- with $egress.dns.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- range $name := list "apiServer" "database" "s3" }}
{{- $target := index $egress $name }}
- ports:
    {{- range $target.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- with $target.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
