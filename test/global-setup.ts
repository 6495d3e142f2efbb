import { HAS_SHARED, SHARED_MISSING } from './support/shared.ts';

/** Says once per run, not once per file, that the suites needing ../shared were skipped. */
export default function sayWhetherSharedIsMissing(): () => void {
  if (!HAS_SHARED) console.log(SHARED_MISSING);
  return () => {
    if (!HAS_SHARED) console.log(SHARED_MISSING);
  };
}
