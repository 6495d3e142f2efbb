import type { Finding } from '../findings/finding.ts';
import { finding } from './findings.ts';

const TEMPLATE_DIRECTIVE = /\{\{-?\s*[^}]*\}\}/;
const OSM_MARKER = /openservicemesh\.io|smi-spec\.io|kind:\s*(TrafficTarget|HTTPRouteGroup|TCPRoute|TrafficSplit|IngressBackend|Egress|UpstreamTrafficSetting|Retry|MeshConfig)\b/;

/** A chart template (or any manifest with `{{ }}` directives) is not YAML until Helm renders it. */
export function isHelmTemplate(path: string, text: string): boolean {
  return /\.(ya?ml|tpl)$/.test(path) && TEMPLATE_DIRECTIVE.test(text);
}

/** One finding per template, and one per line that hard-codes OSM configuration. */
export function helmTemplateFindings(path: string, text: string): Finding[] {
  const lines = text.split('\n');
  const osmLines = lines.flatMap((line, i) => (OSM_MARKER.test(line) ? [i + 1] : []));
  if (osmLines.length === 0) return [];
  return osmLines.map((line) =>
    finding('load/helm-template-osm-reference', { file: path, line }, {
      message: `Template line mentions OSM: \`${(lines[line - 1] ?? '').trim()}\``,
    }),
  );
}
