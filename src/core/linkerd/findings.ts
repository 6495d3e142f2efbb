import { defineFindings, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';

/** The findings raised while planning the Servers of every port (linkerd/servers.ts). */
export const serverPlanFindings = defineFindings({
  'traffic-target/server-conflict': {
    severity: 'error',
    title: 'Two Servers would select the same pod port',
    remediation: 'Workloads share a pod selector, so their Servers overlap; Linkerd honours only one (the oldest from 2.18, undefined before). Give the workloads distinct selector labels, or merge the Servers.',
    message: verbatim,
  },
  'server-selection/narrowed': {
    severity: 'info',
    title: 'Server selector narrowed to keep other pods off it',
    remediation: 'The workload\'s spec.selector also selects the pods of another workload in the namespace, so a Server built from it alone would carry this workload\'s authorizations to them. The generated Server adds labels of this workload\'s pod template (or DoesNotExist conditions on labels the others carry); keep those labels on the pod template, or give the workloads selectors that do not overlap.',
    message: verbatim,
  },
  'server-selection/selects-other-identity': {
    severity: 'error',
    title: 'No Server: its selector would reach pods of another ServiceAccount',
    remediation: 'OSM authorized clients per pod ServiceAccount; a Server selecting this workload\'s pods would also select another workload\'s pods (running as another ServiceAccount) and nothing in the pod templates tells them apart, so its authorizations would reach pods OSM protected. The Server and its routes and policies are not generated, and the port keeps the default inbound policy (its clients are refused). Add a label that only this workload\'s pods carry (e.g. app.kubernetes.io/name) to its pod template and selector, then run the migration again.',
    message: verbatim,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = serverPlanFindings;

export const finding = finderFor(raises);
