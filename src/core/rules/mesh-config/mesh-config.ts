import { finding, type DifferenceScope } from '../../findings/finding.ts';
import type { FindingId } from '../../findings/catalogue.ts';
import {
  EXCLUSION_LISTS,
  FEATURE_FLAG_DEFAULTS,
  isFeatureFlagName,
  meshConfigObjects,
  readExclusionList,
  readMeshConfigObject,
  unionList,
  type ExclusionList,
  type FeatureFlagName,
  type MeshConfigSource,
} from '../../inventory/mesh-config.ts';
import type { K8sObject, Workload } from '../../inventory/model.ts';
import { features } from '../../linkerd/versions.ts';
import { atLeast } from '../../options.ts';
import { readAccessModel } from '../../osm/access-model.ts';
import { isMeshed, meshedNamespaces } from '../../osm/meshed.ts';
import { formatRef, type NodePath } from '../../source.ts';
import { asArray, asRecord, getIn, isRecord } from '../../values.ts';
import { Emitter } from '../emitter.ts';
import { defineRule, type RuleInput, type RuleOutput } from '../rule.ts';

/**
 * MeshConfig (config.openservicemesh.io v1alpha1 / v1alpha2), the Helm preset ConfigMap and the legacy osm-config
 * ConfigMap (osm-semantics §4.1): every field is translated or named in a finding, unknown ones included.
 *  - traffic policy mode: decided once for all rules (inventory/mesh-mode.ts); stated here, enforced by
 *    default-policy (SMI mode) and traffic-target (audit in permissive mode);
 *  - `sidecar.logLevel` → `config.linkerd.io/proxy-log-level`, and the traffic exclusion lists →
 *    `config.linkerd.io/skip-outbound-ports` / `skip-inbound-ports` / `skip-subnets`, on every meshed Namespace
 *    manifest (pod templates when the namespace has none), as OSM applied them mesh-wide: "There is no per-pod log
 *    level in OSM (`sidecar.logLevel` is mesh-wide)" (§8.18); pod exclusion annotations are a "Union with
 *    `MeshConfig.traffic…ExclusionList`" (§5): the injection rule writes that union where it renames them;
 *  - `traffic.enableEgress` and the feature flags: read by the rules they change (egress, retry) through
 *    inventory/mesh-config.ts; named here;
 *  - tracing, certificates, Envoy and control-plane settings: findings naming each field.
 */
export const meshConfigRule = defineRule({
  id: 'mesh-config',
  consumes: ['MeshConfig'],
  // The whole spec: the rule checks it against each section handler names the fields it does not know (mesh-config/unknown-field).
  fields: { MeshConfig: ['spec'] },
  emits: [
    'mesh-config/traffic-policy-mode', 'mesh-config/egress-passthrough', 'mesh-config/proxy-log-level', 'mesh-config/exclusion-lists',
    'mesh-config/annotations-unplaced', 'mesh-config/ip-range-inclusion-unsupported',
    'mesh-config/tracing', 'mesh-config/certificate', 'mesh-config/ingress-gateway-certificate', 'mesh-config/feature-flag',
    'mesh-config/feature-not-reproduced', 'mesh-config/proxy-setting', 'mesh-config/control-plane-setting',
    'mesh-config/external-authorization', 'mesh-config/pruned-field', 'mesh-config/unknown-field', 'mesh-config/duplicate',
    'mesh-config/invalid-value', 'mesh-config/no-effect', 'mesh-config/legacy-configmap',
  ],
  translate: translateMeshConfig,
});

export const PROXY_LOG_LEVEL = 'config.linkerd.io/proxy-log-level';
const SKIP_INBOUND_PORTS = 'config.linkerd.io/skip-inbound-ports';
const SKIP_SUBNETS = 'config.linkerd.io/skip-subnets';

/** Envoy's levels (MeshConfig CRD enum) → the Linkerd proxy's env_logger level. */
const LOG_LEVELS: Readonly<Record<string, string>> = {
  trace: 'trace', debug: 'debug', info: 'info', warning: 'warn', warn: 'warn', error: 'error', critical: 'error', off: 'off',
};

export function translateMeshConfig(input: RuleInput): RuleOutput {
  const out = new Emitter();
  const { inventory } = input;
  const sources = meshConfigObjects(inventory).flatMap((o) => readMeshConfigObject(o) ?? []);
  for (const o of inventory.osm('MeshConfig')) out.consume(o);
  for (const s of sources) if (s.form !== 'meshconfig') out.consume(s.object);
  const [primary, ...others] = sources;
  if (!primary) return out.output();
  for (const other of others) {
    out.finding(finding('mesh-config/duplicate', other.object.locate(['kind']), {
      resource: formatRef(other.object.ref),
      message: `${formatRef(other.object.ref)} is another OSM mesh configuration: only ${formatRef(primary.object.ref)} (${primary.object.doc.file}) is translated.`,
    }));
  }
  new MeshConfigTranslation(input, out, primary).run();
  return out.output();
}

/** A Linkerd annotation the MeshConfig asks for on every meshed namespace. */
interface Wanted {
  readonly key: string;
  /** Comma lists are merged with what is there; a scalar never overrides an existing value. */
  readonly values: readonly string[];
  readonly list: boolean;
  /** The OSM pod annotation whose values OSM added to these (lists only). */
  readonly podKey?: string;
  readonly field: NodePath;
}

/** Where the annotations went, per wanted key, for the findings. */
interface Placed {
  readonly targets: string[];
  readonly kept: string[];
  readonly namespaces: Set<string>;
}

class MeshConfigTranslation {
  private readonly input: RuleInput;
  private readonly out: Emitter;
  private readonly src: MeshConfigSource;
  private readonly resource: string;
  /** Fields whose value needs nothing in Linkerd: one finding names them all. */
  private readonly noEffect: string[] = [];
  private readonly wanted: Wanted[] = [];

  constructor(input: RuleInput, out: Emitter, src: MeshConfigSource) {
    this.input = input;
    this.out = out;
    this.src = src;
    this.resource = formatRef(src.object.ref);
  }

  run(): void {
    if (this.src.form !== 'meshconfig') {
      this.out.finding(finding('mesh-config/legacy-configmap', this.src.object.locate(['metadata', 'name']), {
        resource: this.resource,
        message: this.src.form === 'legacy-configmap'
          ? `${this.resource} is OSM's pre-v0.9 configuration: its keys are read as the MeshConfig fields they became, and the ConfigMap goes with OSM.`
          : `${this.resource} holds the MeshConfig spec osm-bootstrap installs: it is read as the MeshConfig, and the ConfigMap goes with OSM.`,
      }));
    }
    const sections: Readonly<Record<string, (value: Readonly<Record<string, unknown>>) => void>> = {
      sidecar: (v) => this.sidecar(v),
      traffic: (v) => this.traffic(v),
      observability: (v) => this.observability(v),
      certificate: (v) => this.certificate(v),
      featureFlags: (v) => this.featureFlags(v),
    };
    if (Object.keys(this.src.spec).length === 0 && this.src.unmappedLegacyKeys.length === 0) this.noEffect.push('spec (empty)');
    for (const [section, value] of Object.entries(this.src.spec)) {
      const handle = sections[section];
      if (!handle) this.report('mesh-config/unknown-field', [section], `${section} is not a MeshConfig section this translator knows.`);
      else if (isRecord(value)) handle(value);
      else if (isEmpty(value)) this.noEffect.push(section);
      else this.report('mesh-config/invalid-value', [section], `${section} is ${JSON.stringify(value)}, not a mapping.`);
    }
    for (const key of this.src.unmappedLegacyKeys) {
      this.out.finding(finding('mesh-config/unknown-field', this.src.object.locate(['data', key]), {
        resource: this.resource,
        message: `${this.resource}: data key ${key} is not an osm-config key this translator knows.`,
      }));
    }
    this.placeAnnotations();
    if (this.noEffect.length > 0) {
      this.out.finding(finding('mesh-config/no-effect', this.src.object.locate(['kind']), {
        resource: this.resource,
        message: `${this.resource}: ${this.noEffect.join(', ')} need nothing in Linkerd (empty, disabled or the default).`,
      }));
    }
  }

  private report(id: FindingId, path: NodePath, message: string, affects?: readonly DifferenceScope[]): void {
    this.out.finding(finding(id, this.src.locate(path), { resource: this.resource, message: `${this.resource}: ${message}`, ...(affects ? { affects } : {}) }));
  }

  // -------------------------------------------------------------------------------------------------------------
  // sidecar

  private sidecar(section: Readonly<Record<string, unknown>>): void {
    const images = 'Linkerd injects its own proxy and proxy-init images (Helm proxy.image, proxyInit.image).';
    const tls = 'Linkerd\'s mTLS is TLS 1.3 with the proxy\'s fixed cipher suites and curves: there is nothing to set.';
    for (const [key, value] of Object.entries(section)) {
      const path = ['sidecar', key];
      const name = `sidecar.${key}`;
      switch (key) {
        case 'logLevel': this.logLevel(value); break;
        case 'enablePrivilegedInitContainer':
          if (value === true) this.report('mesh-config/proxy-setting', path, `${name}: true ran OSM's init container privileged. Linkerd's proxy-init needs NET_ADMIN and NET_RAW (Helm proxyInit.runAsRoot, or the linkerd-cni plugin instead).`);
          else this.noEffect.push(name);
          break;
        case 'envoyImage': case 'envoyWindowsImage': case 'initContainerImage':
          this.report('mesh-config/proxy-setting', path, `${name} ${JSON.stringify(value)}: ${images}`);
          break;
        case 'tlsMinProtocolVersion': case 'tlsMaxProtocolVersion': case 'cipherSuites': case 'ecdhCurves':
          this.report('mesh-config/proxy-setting', path, `${name} ${JSON.stringify(value)}: ${tls}`);
          break;
        case 'resources': this.resources(value); break;
        case 'maxDataPlaneConnections':
          if (value === 0 || isEmpty(value)) this.noEffect.push(name);
          else this.report('mesh-config/control-plane-setting', path, `${name} ${JSON.stringify(value)} capped the proxies connected to osm-controller; Linkerd's control plane has no such limit.`);
          break;
        case 'configResyncInterval':
          if (isEmpty(value) || value === '0s' || value === 0) this.noEffect.push(name);
          else this.report('mesh-config/control-plane-setting', path, `${name} ${JSON.stringify(value)} resent the Envoy configuration periodically; Linkerd streams every change and has no resync interval.`);
          break;
        case 'localProxyMode':
          if (value === 'Localhost' || isEmpty(value)) this.noEffect.push(name);
          else this.report('mesh-config/proxy-setting', path, `${name} ${JSON.stringify(value)} made Envoy reach the application on the pod IP; the Linkerd proxy has no such setting.`);
          break;
        default: this.report('mesh-config/unknown-field', path, `${name} is not a sidecar field this translator knows.`);
      }
    }
  }

  /** sidecar.resources: Linkerd sets proxy resources with config.linkerd.io/proxy-{cpu,memory}-{request,limit}. */
  private resources(value: unknown): void {
    const resources = asRecord(value);
    const fields = (['requests', 'limits'] as const).flatMap((kind) =>
      Object.entries(asRecord(resources[kind])).map(([resource, amount]) => ({ kind, resource, amount })),
    );
    if (fields.length === 0 && Object.keys(resources).length === 0) {
      this.noEffect.push('sidecar.resources');
      return;
    }
    const suggestions = fields.map((f) => {
      const annotation = ['cpu', 'memory', 'ephemeral-storage'].includes(f.resource)
        ? `config.linkerd.io/proxy-${f.resource}-${f.kind === 'requests' ? 'request' : 'limit'}: "${String(f.amount)}"`
        : `(no Linkerd annotation for ${f.resource})`;
      return `resources.${f.kind}.${f.resource} ${JSON.stringify(f.amount)} → ${annotation}`;
    });
    const unknown = Object.keys(resources).filter((k) => k !== 'requests' && k !== 'limits').map((k) => `resources.${k}`);
    this.report('mesh-config/proxy-setting', ['sidecar', 'resources'],
      `sidecar.resources sized every Envoy sidecar: ${[...suggestions, ...unknown.map((u) => `${u} (no Linkerd equivalent)`)].join('; ')}. Set those annotations on the Namespaces or workloads, or the Helm proxy.resources values.`);
  }

  private logLevel(value: unknown): void {
    const level = typeof value === 'string' ? LOG_LEVELS[value.trim().toLowerCase()] : undefined;
    if (!level) {
      this.report('mesh-config/invalid-value', ['sidecar', 'logLevel'], `sidecar.logLevel ${JSON.stringify(value)} is not one of ${Object.keys(LOG_LEVELS).join(', ')}.`);
      return;
    }
    this.wanted.push({ key: PROXY_LOG_LEVEL, values: [level], list: false, field: ['sidecar', 'logLevel'] });
  }

  // -------------------------------------------------------------------------------------------------------------
  // traffic

  private traffic(section: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(section)) {
      const path = ['traffic', key];
      const name = `traffic.${key}`;
      const exclusion = EXCLUSION_LISTS.find((e) => e.field === key);
      if (exclusion) {
        this.exclusionList(exclusion);
        continue;
      }
      switch (key) {
        case 'enablePermissiveTrafficPolicyMode': this.mode(value); break;
        case 'enableEgress': this.egress(value); break;
        case 'outboundIPRangeInclusionList':
          if (asArray(value).length === 0) this.noEffect.push(name);
          else this.report('mesh-config/ip-range-inclusion-unsupported', path, `${name} ${JSON.stringify(value)}: OSM redirected only those destinations to Envoy; Linkerd proxies all outbound traffic except config.linkerd.io/skip-subnets.`);
          break;
        case 'networkInterfaceExclusionList':
          if (asArray(value).length === 0) this.noEffect.push(name);
          else this.report('mesh-config/proxy-setting', path, `${name} ${JSON.stringify(value)}: Linkerd's proxy-init cannot skip network interfaces; skip the networks behind them with config.linkerd.io/skip-subnets.`);
          break;
        case 'inboundExternalAuthorization': {
          const fields = Object.keys(asRecord(value)).map((k) => `${name}.${k}`);
          if (asRecord(value)['enable'] === true) this.report('mesh-config/external-authorization', path, `${name} (${fields.join(', ')}) sent every inbound HTTP request to ${JSON.stringify(asRecord(value)['address'] ?? '(no address)')} for a decision; Linkerd has no external authorization.`);
          else this.noEffect.push(...(fields.length > 0 ? fields : [name]));
          break;
        }
        case 'useHTTPSIngress':
          if (value === true) this.report('mesh-config/control-plane-setting', path, `${name}: true made OSM (before IngressBackend, v0.9-v0.11) expect HTTPS from the ingress controller; with Linkerd, mesh the ingress controller and let it speak plain HTTP.`);
          else this.noEffect.push(name);
          break;
        default: this.report('mesh-config/unknown-field', path, `${name} is not a traffic field this translator knows.`);
      }
    }
  }

  private mode(value: unknown): void {
    const path = ['traffic', 'enablePermissiveTrafficPolicyMode'];
    if (typeof value !== 'boolean') {
      this.report('mesh-config/invalid-value', path, `traffic.enablePermissiveTrafficPolicyMode ${JSON.stringify(value)} is not a boolean: OSM read false (SMI mode).`);
      return;
    }
    const { meshMode } = this.input;
    const option = meshMode.source === 'option' ? ` The --mesh-mode option overrides it: the translation uses ${meshMode.mode} mode.` : '';
    const accessPolicy = features(this.input.options.linkerdVersion).serverAccessPolicy;
    const targets = !accessPolicy
      ? 'nothing, as this Linkerd has no Server accessPolicy (mesh-mode/access-policy-unavailable)'
      : this.input.options.permissiveAccess === 'audit'
        ? 'Servers with accessPolicy: audit, chosen with permissiveAccess: audit, which also admits the plaintext clients OSM refused (mesh-mode/permissive-audit)'
        : 'Servers with accessPolicy: all-authenticated, which admit every meshed client as OSM did (mesh-mode/permissive-authenticated)';
    this.report('mesh-config/traffic-policy-mode', path, value
      ? `traffic.enablePermissiveTrafficPolicyMode: true (permissive): OSM allowed all traffic between meshed pods, no plaintext client, and ignored TrafficTargets. Meshed namespaces get config.linkerd.io/default-inbound-policy: all-authenticated (mesh-mode/default-authenticated); TrafficTargets become ${targets}.${option}`
      : `traffic.enablePermissiveTrafficPolicyMode: false (SMI mode): OSM denied what no TrafficTarget allowed; meshed namespaces get config.linkerd.io/default-inbound-policy: deny (mesh-mode/default-deny) and TrafficTargets become policies.${option}`);
  }

  private egress(value: unknown): void {
    const path = ['traffic', 'enableEgress'];
    if (typeof value !== 'boolean') {
      this.report('mesh-config/invalid-value', path, `traffic.enableEgress ${JSON.stringify(value)} is not a boolean.`);
      return;
    }
    const control = features(this.input.options.linkerdVersion).egressNetwork;
    this.report('mesh-config/egress-passthrough', path, value
      ? 'traffic.enableEgress: true: OSM forwarded outbound traffic it had no route for. Linkerd does too; EgressNetworks generated for Egress policies use trafficPolicy Allow (egress/*).'
      : `traffic.enableEgress: false: OSM dropped outbound traffic to destinations outside the mesh. ${control ? 'Each meshed namespace gets an EgressNetwork with trafficPolicy Deny (egress/default-deny).' : `Linkerd ${this.input.options.linkerdVersion} has no egress control: see egress/no-egress-control for a NetworkPolicy.`}`);
  }

  /** The values are read by inventory/mesh-config.ts, as the injection rule reads them to merge pod annotations. */
  private exclusionList(exclusion: ExclusionList): void {
    const path = ['traffic', exclusion.field];
    const name = `traffic.${exclusion.field}`;
    const { valid, invalid } = readExclusionList(this.src.spec, exclusion);
    for (const raw of invalid) {
      this.report('mesh-config/invalid-value', path, `${name} entry ${JSON.stringify(raw)} is not ${exclusion.kind === 'port' ? 'a port (1-65535)' : 'a CIDR'}: it is left out.`);
    }
    if (valid.length === 0) {
      this.noEffect.push(name);
      return;
    }
    this.wanted.push({ key: exclusion.linkerdKey, values: valid, list: true, podKey: exclusion.podKey, field: path });
  }

  // -------------------------------------------------------------------------------------------------------------
  // observability, certificate

  private observability(section: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(section)) {
      const path = ['observability', key];
      const name = `observability.${key}`;
      switch (key) {
        case 'osmLogLevel':
          this.report('mesh-config/control-plane-setting', path, `${name} ${JSON.stringify(value)} set osm-controller's log level; Linkerd's control plane uses the Helm value controllerLogLevel.`);
          break;
        case 'enableDebugServer':
          if (value === true) this.report('mesh-config/control-plane-setting', path, `${name}: true exposed osm-controller's debug server; Linkerd has linkerd diagnostics and the admin ports instead.`);
          else this.noEffect.push(name);
          break;
        case 'prometheusScraping':
          if (value === true) this.report('mesh-config/control-plane-setting', path, `${name}: true let Prometheus scrape the Envoys; Linkerd proxies always serve metrics on port 4191 (/metrics): point Prometheus or linkerd-viz at them.`);
          else this.noEffect.push(name);
          break;
        case 'tracing': this.tracing(value); break;
        case 'outboundPortExclusionList': case 'inboundPortExclusionList': case 'outboundIPRangeExclusionList': case 'outboundIPRangeInclusionList':
          if (asArray(value).length === 0) this.noEffect.push(`${name} (misplaced)`);
          else this.report('mesh-config/pruned-field', path, `${name} ${JSON.stringify(value)} belongs under traffic: the API server pruned it here, so OSM never applied it and it is not translated.`);
          break;
        default: this.report('mesh-config/unknown-field', path, `${name} is not an observability field this translator knows.`);
      }
    }
  }

  private tracing(value: unknown): void {
    const tracing = asRecord(value);
    const fields = Object.keys(tracing).map((k) => `observability.tracing.${k}`);
    if (tracing['enable'] !== true) {
      this.noEffect.push(...(fields.length > 0 ? fields : ['observability.tracing']));
      return;
    }
    const collector = `${String(tracing['address'] ?? '<address>')}:${String(tracing['port'] ?? 9411)}${String(tracing['endpoint'] ?? '/api/v2/spans')}`;
    const version = this.input.options.linkerdVersion;
    const how = atLeast(version, '2.19')
      ? `set the Linkerd control-plane values proxy.tracing.enabled=true and proxy.tracing.collector.endpoint to your collector (Linkerd ${version} has no linkerd-jaeger)`
      : `install the linkerd-jaeger extension with its collector pointed at it (Linkerd ${version})`;
    this.report('mesh-config/tracing', ['observability', 'tracing'], `tracing is on (${fields.join(', ')}): OSM's Envoys sent Zipkin spans to ${collector}. To keep traces, ${how}.`);
  }

  private certificate(section: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(section)) {
      const path = ['certificate', key];
      const name = `certificate.${key}`;
      switch (key) {
        case 'serviceCertValidityDuration':
          this.report('mesh-config/certificate', path, `${name} ${JSON.stringify(value)} was the lifetime of OSM's proxy certificates; Linkerd's is the Helm value identity.issuer.issuanceLifetime (default 24h0m0s).`);
          break;
        case 'certKeyBitSize':
          this.report('mesh-config/certificate', path, `${name} ${JSON.stringify(value)} sized OSM's RSA keys; Linkerd proxies use ECDSA P-256 keys, with no setting.`);
          break;
        case 'ingressGateway': {
          const fields = Object.keys(asRecord(value)).map((k) => `${name}.${k}`);
          this.report('mesh-config/ingress-gateway-certificate', path, `${name} (${fields.join(', ') || 'empty'}) issued the ingress controller a client certificate${asRecord(asRecord(value)['secret'])['name'] ? ` in secret ${String(asRecord(asRecord(value)['secret'])['name'])}` : ''}; with Linkerd, mesh the ingress controller instead.`);
          break;
        }
        default: this.report('mesh-config/unknown-field', path, `${name} is not a certificate field this translator knows.`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // feature flags

  private featureFlags(section: Readonly<Record<string, unknown>>): void {
    const egresses = this.input.inventory.osm('Egress').length;
    const retries = this.input.inventory.osm('Retry').length;
    for (const [key, value] of Object.entries(section)) {
      const path = ['featureFlags', key];
      const name = `featureFlags.${key}`;
      if (!isFeatureFlagName(key)) {
        this.report('mesh-config/unknown-field', path, `${name} is not an OSM feature flag this translator knows.`);
        continue;
      }
      if (typeof value !== 'boolean') {
        this.report('mesh-config/invalid-value', path, `${name} ${JSON.stringify(value)} is not a boolean; the chart default (${String(FEATURE_FLAG_DEFAULTS[key])}) is assumed.`);
        continue;
      }
      const effect = flagEffect(key, value, { egresses, retries });
      if (effect) this.report(effect.id, path, `${name}: ${String(value)}: ${effect.message}`);
      else this.noEffect.push(`${name}: ${String(value)}`);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // annotations on meshed namespaces

  /**
   * The annotations go where default-policy puts default-inbound-policy: each meshed Namespace manifest, else each
   * meshed pod template (a missing `annotations:` mapping is created by the planner, once for every rule's keys).
   * A pod that sets a list key itself hides its namespace's in Linkerd, so its value gets the union; a pod with the
   * OSM exclusion annotation is left to the injection rule, which writes the union on that line.
   */
  private placeAnnotations(): void {
    if (this.wanted.length === 0) return;
    const { inventory } = this.input;
    const meshed = meshedNamespaces(inventory, readAccessModel(inventory));
    const workloads = inventory.workloads.filter((w) => isMeshed(w, inventory, meshed));
    const namespaces = new Set(workloads.flatMap((w) => w.namespace ?? []));
    for (const ns of inventory.namespaces) if (meshed.has(ns.name)) namespaces.add(ns.name);
    const placed = new Map(this.wanted.map((w) => [w.key, { targets: [], kept: [], namespaces: new Set<string>() } as Placed]));
    for (const name of [...namespaces].sort()) {
      const manifest = inventory.findNamespace(name);
      if (manifest) this.annotate(manifest.object, ['metadata', 'annotations'], manifest.annotations, name, placed);
      for (const w of workloads.filter((x) => x.namespace === name)) this.annotatePod(w, name, !manifest, placed);
    }
    // Namespaces OSM meshed (a TrafficTarget names them) with neither a manifest nor a meshed pod template here.
    const elsewhere = [...meshed].filter((ns) => !namespaces.has(ns)).sort();
    this.reportPlacement(placed, elsewhere, namespaces.size === 0);
  }

  /** A Namespace manifest: scalars where unset, lists merged with what is there. */
  private annotate(object: K8sObject, path: NodePath, existing: Readonly<Record<string, string>>, namespace: string, placed: Map<string, Placed>): void {
    for (const w of this.wanted) {
      const record = placed.get(w.key) as Placed;
      const current = existing[w.key];
      if (!w.list && current !== undefined) {
        record.kept.push(`${formatRef(object.ref)} (${current})`);
        continue;
      }
      const value = w.list ? unionList(current ?? '', w.values) : w.values.join(',');
      if (value !== current) this.out.edit({ type: 'set-key', doc: object.doc, path, key: w.key, value });
      record.targets.push(formatRef(object.ref));
      record.namespaces.add(namespace);
    }
  }

  /**
   * A meshed pod template: every key when its namespace has no manifest (`own`), else only the list keys the pod sets
   * itself (its value hides the namespace's). The OSM exclusion annotation is the injection rule's to merge.
   */
  private annotatePod(workload: Workload, namespace: string, own: boolean, placed: Map<string, Placed>): void {
    const ref = formatRef(workload.object.ref);
    for (const w of this.wanted) {
      const record = placed.get(w.key) as Placed;
      if (w.podKey && workload.podAnnotations[w.podKey] !== undefined) {
        record.targets.push(`${ref} (merged into its ${w.podKey} by the injection rule)`);
        record.namespaces.add(namespace);
        continue;
      }
      const current = workload.podAnnotations[w.key];
      if (!own && (!w.list || current === undefined)) continue;
      if (!w.list && current !== undefined) {
        record.kept.push(`${ref} (${current})`);
        continue;
      }
      const value = w.list ? unionList(current ?? '', w.values) : w.values.join(',');
      if (value !== current) this.out.edit({ type: 'set-key', doc: workload.object.doc, path: [...workload.podMetadataPath, 'annotations'], key: w.key, value });
      record.targets.push(ref);
      record.namespaces.add(namespace);
    }
  }

  private reportPlacement(placed: ReadonlyMap<string, Placed>, elsewhere: readonly string[], none: boolean): void {
    for (const w of this.wanted) {
      const record = placed.get(w.key) as Placed;
      const value = w.values.join(',');
      const where = record.targets.length > 0 ? ` on ${[...new Set(record.targets)].join(', ')}` : ' nowhere (see mesh-config/annotations-unplaced)';
      const kept = record.kept.length > 0 ? `; kept the value already set on ${record.kept.join(', ')}` : '';
      const field = w.field.join('.');
      const raw = JSON.stringify(getIn(this.src.spec, w.field));
      if (w.key === PROXY_LOG_LEVEL) {
        this.report('mesh-config/proxy-log-level', w.field, `${field} ${raw} becomes ${w.key}: "${value}"${where}${kept}.`);
        continue;
      }
      const affects = w.key === SKIP_INBOUND_PORTS ? [...record.namespaces].flatMap((namespace) => w.values.map((port) => ({ namespace, port: Number(port) }))) : undefined;
      const defaults = w.key === SKIP_SUBNETS ? '' : ' (it replaces Linkerd\'s default 4567,4568)';
      this.report('mesh-config/exclusion-lists', w.field, `${field} ${raw} becomes ${w.key}: "${value}"${defaults}${where}.`, affects);
    }
    if (!none && elsewhere.length === 0) return;
    const annotations = this.wanted.map((w) => `${w.key}: "${w.values.join(',')}"`).join(', ');
    const what = none && elsewhere.length === 0
      ? 'the repository has no meshed Namespace manifest or pod template to write them on'
      : `namespace${elsewhere.length > 1 ? 's' : ''} ${elsewhere.join(', ')} ${elsewhere.length > 1 ? 'were' : 'was'} meshed by OSM but ${elsewhere.length > 1 ? 'have' : 'has'} no Namespace manifest or meshed pod template in the repository`;
    this.out.finding(finding('mesh-config/annotations-unplaced', this.src.object.locate(['kind']), {
      resource: this.resource,
      message: `${this.resource}: ${annotations} could not be written: ${what}. Add them to the Namespace manifests (or pod templates) where they are defined.`,
    }));
  }
}

function flagEffect(flag: FeatureFlagName, value: boolean, counts: { egresses: number; retries: number }): { id: FindingId; message: string } | undefined {
  switch (flag) {
    case 'enableEgressPolicy':
      return { id: 'mesh-config/feature-flag', message: value
        ? `OSM honoured Egress policies; the egress rule translates the ${counts.egresses} in the repository.`
        : `OSM ignored every Egress policy; the egress rule generates nothing for the ${counts.egresses} in the repository (egress/policy-disabled).` };
    case 'enableRetryPolicy':
      return { id: 'mesh-config/feature-flag', message: value
        ? `OSM applied Retry policies; the retry rule translates the ${counts.retries} in the repository.`
        : `OSM ignored Retry policies (the chart default); the retry rule does not turn the ${counts.retries} in the repository into Linkerd retries.` };
    case 'enableWASMStats':
      return value ? { id: 'mesh-config/feature-flag', message: 'Envoy\'s WASM stats filter added per-workload request metrics; Linkerd proxies report them natively on port 4191.' } : undefined;
    case 'enableIngressBackendPolicy':
      return value ? undefined : { id: 'mesh-config/feature-flag', message: 'OSM v1.2 ignores this flag and always uses IngressBackend; earlier releases programmed ingress from Ingress objects instead. The IngressBackends are translated either way.' };
    case 'enableMulticlusterMode':
      return value ? { id: 'mesh-config/feature-not-reproduced', message: 'OSM multicluster (MultiClusterService) was on; Linkerd multicluster is set up with `linkerd multicluster link` and mirrored Services.' } : undefined;
    case 'enableEnvoyActiveHealthChecks':
      return value ? { id: 'mesh-config/feature-not-reproduced', message: 'Envoy actively health-checked upstream endpoints; Linkerd has no active health checks (its balancer reacts to latency and, with balancer.linkerd.io/failure-accrual on a Service, to failures).' } : undefined;
    case 'enableMeshRootCertificate':
      return value ? { id: 'mesh-config/feature-flag', message: 'OSM issued certificates from MeshRootCertificate objects; Linkerd uses the trust anchor and issuer given at install.' } : undefined;
    case 'enableSnapshotCacheMode': case 'enableAsyncProxyServiceMapping': case 'enableValidatingWebhook':
      return value ? { id: 'mesh-config/feature-flag', message: 'an internal of OSM\'s control plane: nothing to migrate.' } : undefined;
  }
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

