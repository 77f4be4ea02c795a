{{/*
The least-privilege rules. The same rule lists serve the namespaced mode (a Role in each watched
namespace) and the cluster mode (a ClusterRole); the Lease rules are always a Role in the Lease
namespace. The verbs are what the code calls:
- previewsessions: informer (get/list/watch); get/list/watch/patch/update as JOSDK's generic chart
  grants a primary resource (metadata patches); status: the status patch.
- pods, secrets, services: the session's owned objects, managed by dependents (informer + CRUD).
  In cluster mode this includes list/watch on Secrets in every namespace: the Secret informer
  is label-filtered, but RBAC cannot be scoped by label. Use the namespaced mode to avoid it.
- events (core/v1, as SessionEventRecorder posts them): create, and patch to count repeats.
- leases: fabric8's LeaseLock reads, creates and renews (get/create/update; JOSDK checks exactly these).
The gateway only reads PreviewSessions (session revocation).
*/}}

{{- define "preview-operator.operatorRules" -}}
- apiGroups: ["preview.velocity.dev"]
  resources: ["previewsessions"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["preview.velocity.dev"]
  resources: ["previewsessions/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: [""]
  resources: ["pods", "secrets", "services"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{- define "preview-operator.gatewayRules" -}}
- apiGroups: ["preview.velocity.dev"]
  resources: ["previewsessions"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{- define "preview-operator.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end }}
