import { HAS_SHARED, SHARED_MISSING } from './support/shared.ts';

/** Says once per run, after the summary (not once per file), that the suites needing ../shared were skipped. */
export default function sayWhetherSharedIsMissing(): () => void {
  return () => {
    if (!HAS_SHARED) console.log(SHARED_MISSING);
  };
}
