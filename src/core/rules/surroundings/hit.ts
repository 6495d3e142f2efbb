import type { RaisedId } from './findings.ts';
import type { NodePath } from '../../source.ts';

/** One finding a surroundings check raises on the object it looked at. */
export interface Hit {
  readonly id: RaisedId;
  readonly path: NodePath;
  readonly message: string;
}

/** Whether a Service (by namespace and name) selects pods that ran an OSM sidecar. */
export type MeshedServiceTest = (namespace: string | undefined, name: string) => boolean;
