import { defineFindings, pick, verbatim } from '../findings/define.ts';
import { finderFor } from '../findings/finding.ts';
import { inventoryFindings } from '../inventory/findings.ts';
import { loadFindings } from '../load/findings.ts';

/** The findings raised while planning the edits: what could not be written as planned. */
export const planFindings = defineFindings({
  'kustomize/overlay-translated': {
    severity: 'info',
    title: 'An overlay patches an OSM object: its translation is patched too',
    remediation: 'What the overlay deploys is its base with its patches applied. The Linkerd resources of the patched object are patched the same way in the generated patch file the overlay now lists; review both the base and the overlay output.',
    message: verbatim,
  },
  'plan/value-replaced': {
    severity: 'warning',
    title: 'An existing annotation value is overwritten',
    remediation: 'The object already set this key to another value; the translation writes the value OSM\'s behaviour needs. If the old value was deliberate (tuned by hand for Linkerd already), put it back and accept the difference the other findings describe.',
    message: verbatim,
  },
  'plan/file-kept': {
    severity: 'warning',
    title: 'OSM file kept: its translation is not written beside it',
    remediation: 'Every OSM object in this file was translated, but not into a file of its own (it is one version of an object several files define, and its translation lives elsewhere). The planner never deletes a file without writing its replacement: remove the OSM documents by hand once the Linkerd resources are applied.',
    message: verbatim,
  },
  'plan/edit-failed': {
    severity: 'warning',
    title: 'A change could not be made losslessly',
    remediation: 'The tool edits existing files only where it can keep every other byte as it was. This one is written in a style it does not edit (flow mapping, alias, complex key): make the change in the message by hand.',
    message: verbatim,
  },
});

/** Every finding the module raises: its own, and those declared elsewhere that it raises too. */
export const raises = {
  ...planFindings,
  ...pick(inventoryFindings, 'kustomize/patch-not-exact'),
  ...pick(loadFindings, 'load/yaml-syntax-error'),
};

export const finding = finderFor(raises);
