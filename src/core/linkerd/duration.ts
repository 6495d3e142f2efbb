/**
 * OSM durations are Go `time.Duration` strings (metav1.Duration: "3s", "1.5s", "1m30s", "250ms"). Linkerd's
 * annotations take an integer and one unit among ms, s, m, h, d; fractions and bare numbers are rejected
 * (`parse_duration`, linkerd-reference §5.2).
 */

const GO_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const LINKERD_UNITS: readonly [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/** Milliseconds of a Go duration string; undefined when it is not one (OSM's API server would have rejected it). */
export function goDurationMs(text: string): number | undefined {
  const value = text.trim();
  if (value === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    total += Number(m[1]) * (GO_UNITS[m[2] as string] as number);
    at = re.lastIndex;
  }
  return at === value.length && at > 0 ? Math.round(total * 1e6) / 1e6 : undefined;
}

export interface LinkerdDuration {
  /** `3s`, `1500ms`, `2m`. */
  readonly text: string;
  readonly ms: number;
  /** False when the Go duration had sub-millisecond precision and was rounded up to whole milliseconds. */
  readonly exact: boolean;
}

/** The Linkerd form of a positive number of milliseconds: the largest unit that divides it. */
export function linkerdDuration(ms: number): LinkerdDuration {
  const whole = Math.ceil(ms);
  const [unit, size] = LINKERD_UNITS.find(([, s]) => whole % s === 0) ?? ['ms', 1];
  return { text: `${whole / size}${unit}`, ms: whole, exact: whole === ms };
}
