/**
 * How findings (`affects.source`) and verify's differences name an ingress client: both sides must spell it the
 * same way, so the names live here rather than in either.
 */

/** The ingress controller behind an IngressBackend Service source. */
export function ingressServiceLabel(namespace: string, name: string): string {
  return `ingress:service/${namespace}/${name}`;
}

/** A client presenting an AuthenticatedPrincipal of an IngressBackend. */
export function ingressPrincipalLabel(principal: string): string {
  return `ingress:principal/${principal}`;
}
