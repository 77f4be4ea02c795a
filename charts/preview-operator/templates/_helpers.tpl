{{/* Names ------------------------------------------------------------------------------------ */}}

{{- define "preview-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "preview-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "preview-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Component names; the suffixes are short so that <fullname> may use 53 characters. */}}
{{- define "preview-operator.operatorName" -}}
{{- printf "%s-operator" (include "preview-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "preview-operator.gatewayName" -}}
{{- printf "%s-gateway" (include "preview-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "preview-operator.configName" -}}
{{- printf "%s-config" (include "preview-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "preview-operator.operatorServiceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "preview-operator.operatorName" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "preview-operator.gatewayServiceAccountName" -}}
{{- if .Values.gateway.serviceAccount.create }}
{{- default (include "preview-operator.gatewayName" .) .Values.gateway.serviceAccount.name }}
{{- else }}
{{- required "gateway.serviceAccount.name is required when gateway.serviceAccount.create is false" .Values.gateway.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels ----------------------------------------------------------------------------------- */}}

{{- define "preview-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "preview-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "preview-operator.labels" -}}
helm.sh/chart: {{ include "preview-operator.chart" . }}
{{ include "preview-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: preview-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of the pods that serve the gateway: the gateway's own, or the operator's in --role=all. */}}
{{- define "preview-operator.gatewayPodSelectorLabels" -}}
{{ include "preview-operator.selectorLabels" . }}
{{- if .Values.gateway.split }}
app.kubernetes.io/component: gateway
{{- else }}
app.kubernetes.io/component: operator
{{- end }}
{{- end }}

{{/* Images ----------------------------------------------------------------------------------- */}}

{{- define "preview-operator.imageRef" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{- define "preview-operator.image" -}}
{{- include "preview-operator.imageRef" (list .Values.image .) }}
{{- end }}

{{- define "preview-operator.agentImage" -}}
{{- include "preview-operator.imageRef" (list .Values.agent.image .) }}
{{- end }}

{{/* Watched namespaces, leader election, gateway URL ------------------------------------------- */}}

{{/* The namespaces that get a Role (namespaced mode); empty list in cluster mode. */}}
{{- define "preview-operator.watchedNamespaces" -}}
{{- if .Values.watch.allNamespaces }}
{{- list | toJson }}
{{- else if .Values.watch.namespaces }}
{{- .Values.watch.namespaces | uniq | toJson }}
{{- else }}
{{- list .Release.Namespace | toJson }}
{{- end }}
{{- end }}

{{- define "preview-operator.leaseNamespace" -}}
{{- default .Release.Namespace .Values.operator.leaderElection.namespace }}
{{- end }}

{{- define "preview-operator.gatewayUrl" -}}
{{- if .Values.gateway.publicUrl }}
{{- .Values.gateway.publicUrl }}
{{- else }}
{{- printf "http://%s.%s.svc.%s:%d" (include "preview-operator.gatewayName" .) .Release.Namespace .Values.clusterDomain (int .Values.gateway.service.port) }}
{{- end }}
{{- end }}

{{/* Secrets: names of the Secrets the pods read -------------------------------------------------- */}}

{{- define "preview-operator.signingKeySecretName" -}}
{{- default (printf "%s-token-signing-key" (include "preview-operator.fullname" .)) .Values.tokens.signingKey.existingSecret }}
{{- end }}

{{- define "preview-operator.publicKeysConfigMapName" -}}
{{- printf "%s-token-public-keys" (include "preview-operator.fullname" .) }}
{{- end }}

{{- define "preview-operator.serviceTokenSecretName" -}}
{{- default (printf "%s-gateway-service-token" (include "preview-operator.fullname" .)) .Values.gateway.serviceToken.existingSecret }}
{{- end }}

{{/* Pod pieces shared by the operator, gateway and migration pods -------------------------------- */}}

{{/* Database and S3 credentials: always secretKeyRef, never a literal. */}}
{{- define "preview-operator.credentialEnv" -}}
- name: DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.userKey }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.passwordKey }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.accessKeyKey }}
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.secretKeyKey }}
{{- end }}

{{- define "preview-operator.serviceTokenEnv" -}}
- name: GATEWAY_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "preview-operator.serviceTokenSecretName" . }}
      key: {{ .Values.gateway.serviceToken.key }}
{{- end }}

{{- define "preview-operator.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "preview-operator.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}

{{- define "preview-operator.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}

{{/* Volumes with the token keys: the private key only for pods that sign (the operator). */}}
{{- define "preview-operator.publicKeysVolume" -}}
- name: token-public-keys
  projected:
    defaultMode: 0444
    sources:
      - secret:
          name: {{ include "preview-operator.signingKeySecretName" . }}
          items:
            - key: {{ .Values.tokens.signingKey.publicKeyKey }}
              path: {{ .Values.tokens.signingKey.keyId }}.pem
      {{- if .Values.tokens.additionalPublicKeys }}
      - configMap:
          name: {{ include "preview-operator.publicKeysConfigMapName" . }}
      {{- end }}
{{- end }}

{{- define "preview-operator.signingKeyVolume" -}}
- name: token-signing-key
  secret:
    secretName: {{ include "preview-operator.signingKeySecretName" . }}
    defaultMode: 0440
    items:
      - key: {{ .Values.tokens.signingKey.privateKeyKey }}
        path: signing-key.pem
{{- end }}

{{/* Mount points (the ConfigMap points TOKEN_* at them). */}}
{{- define "preview-operator.signingKeyDir" -}}/etc/preview-operator/token-signing-key{{- end }}
{{- define "preview-operator.publicKeysDir" -}}/etc/preview-operator/token-public-keys{{- end }}

{{/* Checksum of everything the pods read at start, so that a change rolls them. */}}
{{- define "preview-operator.configChecksum" -}}
{{- list .Values.database .Values.s3 .Values.snapshots .Values.tokens .Values.gateway.port .Values.gateway.publicUrl .Values.gateway.maxStreamsPerSession .Values.watch .Values.operator.leaderElection .Values.operator.metricsPort .Values.agent | toJson | sha256sum }}
{{- end }}

{{- define "preview-operator.httpProbe" -}}
{{- $probe := index . 0 }}
{{- $port := index . 1 -}}
httpGet:
  path: {{ $probe.path }}
  port: {{ $port }}
{{- with $probe.initialDelaySeconds }}
initialDelaySeconds: {{ . }}
{{- end }}
periodSeconds: {{ $probe.periodSeconds }}
{{- with $probe.timeoutSeconds }}
timeoutSeconds: {{ . }}
{{- end }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end }}

{{/*
Scheduling fields shared by both Deployments; argument: (list $ "operator"|"gateway"). Without
topologySpreadConstraints of their own, a component's replicas spread over nodes where they can,
so that losing one node leaves a leader candidate and a gateway.
*/}}
{{- define "preview-operator.scheduling" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- with index $root.Values $component }}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml .topologySpreadConstraints | nindent 2 }}
{{- else }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "preview-operator.selectorLabels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ $component }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}
{{- end }}
