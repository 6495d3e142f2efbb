import { defaultPolicyRule } from './default-policy/default-policy.ts';
import { egressRule } from './egress/egress.ts';
import { ingressBackendRule } from './ingress-backend/ingress-backend.ts';
import { injectionRule } from './injection/injection.ts';
import { meshConfigRule } from './mesh-config/mesh-config.ts';
import { retryRule } from './retry/retry.ts';
import { otherKindsRule } from './other-kinds/other-kinds.ts';
import type { Rule } from './rule.ts';
import { serverSelectionRule } from './server-selection/server-selection.ts';
import { servicePortsRule } from './service-ports/service-ports.ts';
import { surroundingsRule } from './surroundings/surroundings.ts';
import { trafficSplitRule } from './traffic-split/traffic-split.ts';
import { trafficTargetRule } from './traffic-target/traffic-target.ts';
import { upstreamTrafficSettingRule } from './upstream-traffic-setting/upstream-traffic-setting.ts';

/** Every rule, in the order they run: the only place a rule is named. Adding a kind = adding a folder and a line here. */
export const rules = [trafficTargetRule, trafficSplitRule, injectionRule, servicePortsRule, upstreamTrafficSettingRule, retryRule, ingressBackendRule, egressRule, meshConfigRule, otherKindsRule, surroundingsRule, serverSelectionRule, defaultPolicyRule] as const satisfies readonly Rule[];
