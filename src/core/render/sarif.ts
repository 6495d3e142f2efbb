import { catalogue, type FindingId } from '../findings/catalogue.ts';
import { fingerprint, type Finding } from '../findings/finding.ts';
import { escapeMarkdownLines } from './markdown.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0, so GitHub code scanning can show the findings; partialFingerprints keep alerts stable across runs. */
export function renderSarif(findings: readonly Finding[], toolVersion: string): string {
  const ids = [...new Set(findings.map((f) => f.id))].sort() as FindingId[];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'osm2linkerd',
          version: toolVersion,
          informationUri: 'https://github.com/osm2linkerd/osm2linkerd',
          rules: ids.map((id) => ({
            id,
            name: id.replace(/[/-](.)/g, (_, c: string) => c.toUpperCase()),
            shortDescription: { text: catalogue[id].title },
            help: { text: catalogue[id].remediation },
            defaultConfiguration: { level: LEVEL[catalogue[id].severity] },
          })),
        },
      },
      results: findings.map((f) => ({
        ruleId: f.id,
        ruleIndex: ids.indexOf(f.id),
        level: LEVEL[f.severity],
        // GitHub code scanning renders the text of a message as Markdown: repository text in it is escaped.
        message: { text: `${escapeMarkdownLines(f.message)}\n\n${f.remediation}` },
        locations: f.file ? [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: Math.max(1, f.line) } } }] : [],
        partialFingerprints: { 'osm2linkerd/v1': fingerprint(f) },
      })),
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
