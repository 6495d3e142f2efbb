{{- define "osm2linkerd.fullname" -}}
{{ .Release.Name }}-osm2linkerd
{{- end }}

{{- define "osm2linkerd.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "osm2linkerd.secretName" -}}
{{- if .Values.github.existingSecret -}}
{{ .Values.github.existingSecret }}
{{- else -}}
{{ include "osm2linkerd.fullname" . }}-github
{{- end -}}
{{- end }}

{{- define "osm2linkerd.redisUrl" -}}
{{- if .Values.redisUrl -}}
{{ .Values.redisUrl }}
{{- else if .Values.redis.enabled -}}
redis://{{ .Release.Name }}-redis-master:6379
{{- end -}}
{{- end }}

{{- define "osm2linkerd.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "osm2linkerd.env" -}}
- name: APP_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "osm2linkerd.secretName" . }}
      key: app-id
- name: PRIVATE_KEY_PATH
  value: /var/run/secrets/osm2linkerd/private-key.pem
- name: WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "osm2linkerd.secretName" . }}
      key: webhook-secret
- name: PORT
  value: "3000"
- name: HOST
  value: 0.0.0.0
- name: LOG_FORMAT
  value: json
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: WEBHOOK_MAX_BYTES
  value: {{ .Values.webhookMaxBytes | quote }}
{{- if .Values.github.enterpriseHost }}
- name: GHE_HOST
  value: {{ .Values.github.enterpriseHost | quote }}
{{- end }}
{{- if include "osm2linkerd.redisUrl" . }}
- name: REDIS_URL
  value: {{ include "osm2linkerd.redisUrl" . | quote }}
{{- end }}
{{- end }}

{{- define "osm2linkerd.pod" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  - name: github
    secret:
      secretName: {{ include "osm2linkerd.secretName" . }}
      items:
        - key: private-key.pem
          path: private-key.pem
  - name: tmp
    emptyDir: {}
nodeSelector:
  {{- toYaml .Values.nodeSelector | nindent 2 }}
tolerations:
  {{- toYaml .Values.tolerations | nindent 2 }}
affinity:
  {{- toYaml .Values.affinity | nindent 2 }}
{{- end }}

{{- define "osm2linkerd.probes" -}}
livenessProbe:
  httpGet:
    path: {{ .Values.probes.liveness.path }}
    port: http
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: {{ .Values.probes.readiness.path }}
    port: http
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
{{- end }}
