{{/* Name of every resource: the release name unless overridden. */}}
{{- define "rb.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels shared by every object; pass a dict with "root" and "component". */}}
{{- define "rb.labels" -}}
app.kubernetes.io/name: replay-buffer
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: replay-buffer
{{- end -}}

{{/* Labels a component's pods are selected by (stable across upgrades). */}}
{{- define "rb.selector" -}}
app.kubernetes.io/name: replay-buffer
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "rb.segmentsClaim" -}}
{{- default (printf "%s-segments" (include "rb.fullname" .)) .Values.storage.segments.existingClaim -}}
{{- end -}}

{{- define "rb.clipsClaim" -}}
{{- default (printf "%s-clips" (include "rb.fullname" .)) .Values.storage.clips.existingClaim -}}
{{- end -}}

{{/* Redis as the backend reaches it. */}}
{{- define "rb.redisHosts" -}}
{{- if .Values.redis.enabled -}}
redis://{{ include "rb.fullname" . }}-redis:6379
{{- else -}}
{{- required "redis.externalHosts is required when redis.enabled is false" .Values.redis.externalHosts -}}
{{- end -}}
{{- end -}}

{{/* Redis as egress reaches it (host:port). */}}
{{- define "rb.egressRedis" -}}
{{- default (printf "%s-redis:6379" (include "rb.fullname" .)) .Values.egress.redisAddress -}}
{{- end -}}

{{/* Container hardening shared by every container of the chart. */}}
{{- define "rb.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The LiveKit API key and secret from the Secret: the backend and egress both read them under these names. */}}
{{- define "rb.livekitCredentials" -}}
- name: LIVEKIT_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ .Values.secret.name }}, key: {{ .Values.secret.livekitApiKey }}}
- name: LIVEKIT_API_SECRET
  valueFrom:
    secretKeyRef: {name: {{ .Values.secret.name }}, key: {{ .Values.secret.livekitApiSecret }}}
{{- end -}}

{{/* The backend JVM's explicit memory budget (backend.jvm), as java options. */}}
{{- define "rb.jvmMemory" -}}
{{- with .Values.backend.jvm -}}
-Xmx{{ .maxHeap }} -XX:MaxDirectMemorySize={{ .maxDirectMemory }} -XX:MaxMetaspaceSize={{ .maxMetaspace }} -XX:ReservedCodeCacheSize={{ .codeCache }}
{{- end -}}
{{- end -}}
