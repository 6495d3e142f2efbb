import { defaultPolicyRule } from './default-policy/default-policy.ts';
import { injectionRule } from './injection/injection.ts';
import type { Rule } from './rule.ts';
import { servicePortsRule } from './service-ports/service-ports.ts';
import { surroundingsRule } from './surroundings/surroundings.ts';
import { trafficSplitRule } from './traffic-split/traffic-split.ts';
import { trafficTargetRule } from './traffic-target/traffic-target.ts';

/** Every rule, in the order they run: the only place a rule is named. Adding a kind = adding a folder and a line here. */
export const rules: readonly Rule[] = [trafficTargetRule, trafficSplitRule, injectionRule, servicePortsRule, surroundingsRule, defaultPolicyRule];
