{{/*
The data of an existing Secret of the release namespace, as JSON (`{}` when there is none, and
always under `helm template`, which has no cluster). Argument: (list $ "secret-name").
The one place the chart reads the cluster: generated credentials are made once and reused on
every upgrade.
*/}}
{{- define "preview-operator.existingSecretData" -}}
{{- $root := index . 0 }}
{{- $secret := lookup "v1" "Secret" $root.Release.Namespace (index . 1) }}
{{- if and $secret $secret.data }}
{{- $secret.data | toJson }}
{{- else }}
{{- dict | toJson }}
{{- end }}
{{- end }}
