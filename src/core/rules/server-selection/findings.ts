import { defineFindings, pick } from '../../findings/define.ts';
import { serverPlanFindings } from '../../linkerd/findings.ts';

/** The rule declares none of its own: the Server plan (linkerd/servers.ts) raises them, the rule reports them once. */
export const serverSelectionFindings = defineFindings({});

/** Every finding the rule raises: those of the Server plan shared by every rule that emits or attaches to Servers. */
export const raises = {
  ...serverSelectionFindings,
  ...pick(serverPlanFindings, 'server-selection/narrowed', 'server-selection/selects-other-identity', 'traffic-target/server-conflict'),
};
