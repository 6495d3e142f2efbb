import { defineFindings, verbatim } from '../findings/define.ts';

/** The findings of translating HTTPRouteGroup matches into HTTPRoute matches (traffic-target/http-match.ts), raised by the rules that translate them. */
export const routeMatchFindings = defineFindings({
  'traffic-target/path-regex-translated': {
    severity: 'info',
    title: 'pathRegex translated to an anchored RegularExpression',
    remediation: 'OSM matched pathRegex as a full-match RE2 regex on the path without query string. The HTTPRoute uses ^(?:regex)$ so Linkerd\'s span check gives the same answer. Simplify it to Exact or PathPrefix if that is what you meant.',
    message: verbatim,
  },
  'traffic-target/path-never-matches': {
    severity: 'warning',
    title: 'pathRegex can never match a request path',
    remediation: 'Request paths start with "/", and OSM required the whole path to match. This match allowed nothing in OSM and is not translated.',
    message: verbatim,
  },
  'traffic-target/path-regex-invalid': {
    severity: 'error',
    title: 'pathRegex is not a valid RE2 regular expression',
    remediation: 'Envoy rejected this route, so it allowed nothing in OSM; nothing is generated. Fix the expression if it was meant to work.',
    message: verbatim,
  },
  'traffic-target/path-not-expressible': {
    severity: 'error',
    title: 'pathRegex cannot be expressed in the target Linkerd',
    remediation: 'The expression uses RE2 syntax the Rust regex engine of the Linkerd proxy rejects (such as \\C or \\Q…\\E). Nothing is generated for this match: rewrite it with plain regex syntax.',
    message: verbatim,
  },
  'traffic-target/host-header': {
    severity: 'warning',
    title: 'host header match',
    remediation: 'OSM matched the host header against :authority with a full-match regex. The HTTPRoute keeps a header match on host; HTTP/2 clients send :authority instead, so check this route with HTTP/2 and gRPC clients or use spec.hostnames.',
    message: verbatim,
  },
});
