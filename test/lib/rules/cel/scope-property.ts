import fc from 'fast-check';
import { checkBuiltInSpecRules } from '../../../../lib/rules/cel/crd-rules';

// The Image config CRD's registry scope rule against the pattern it replaced: crd-rules.test.ts
// runs it a few hundred times, crd-rules.slow.test.ts thousands.

/** Whether the Image config CRD's rules refuse `entry` as a registry scope. */
export const refused = (entry: string) => checkBuiltInSpecRules('config.openshift.io/v1 Image', { registrySources: { insecureRegistries: [entry] } })
  .some((f) => f.severity === 'error');

// The scope pattern that lib/rules/image-config-rules.ts held until the CRD's rule was
// evaluated (REGISTRY_SCOPE_PATTERN): the same strings, rewritten so that JavaScript's
// backtracking engine stayed linear. It is kept here only to show that nothing was lost.
const OLD_HAND_WRITTEN_PATTERN = new RegExp('^\\*(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+$|^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$');

export function agreesWithTheOldScopePattern(numRuns: number): void {
  test(`the CRD's scope rule, run by CEL with RE2, and the deleted hand-written pattern agree on random strings (${numRuns} runs)`, () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '_', '-', '/', ':', '*', '@', 'é'), maxLength: 40 }), (s) => {
      expect(refused(s)).toBe(!OLD_HAND_WRITTEN_PATTERN.test(s));
    }), { numRuns });
  });
}
