import { MESH_TLS_AUTHENTICATION_API } from '../../linkerd/versions.ts';

/** Ready-to-paste YAML for the findings that ask a person to finish something. */

export function yamlBlock(lines: readonly string[]): string {
  return ['```yaml', ...lines, '```'].join('\n');
}

/** `linkerd.io/inject: ingress` on the controller's pod template (linkerd-reference §7.1: on the workload). */
export function meshControllerSnippet(): string {
  return yamlBlock([
    'spec:',
    '  template:',
    '    metadata:',
    '      annotations:',
    '        linkerd.io/inject: ingress',
  ]);
}

export function meshTlsSnippet(name: string, namespace: string, serviceAccountHint: string, accountNamespace: string): string {
  return yamlBlock([
    `apiVersion: ${MESH_TLS_AUTHENTICATION_API}`,
    'kind: MeshTLSAuthentication',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    '  identityRefs:',
    `    - {kind: ServiceAccount, name: ${serviceAccountHint}, namespace: ${accountNamespace}}`,
  ]);
}

export function serverSnippet(apiVersion: string, name: string, namespace: string, selector: string, port: number): string {
  return yamlBlock([
    `apiVersion: ${apiVersion}`,
    'kind: Server',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    `  podSelector: {matchLabels: ${selector}}`,
    `  port: ${port}`,
    '  proxyProtocol: unknown',
  ]);
}
