import { Meter } from '../../../lib/rules/cel/meter';
import { errorsOf, schemasWith, widget, widgetCrd } from './cel-fixtures';

// The integration tier's part of cel-rules.test.ts: a hostile rule run until the cost limit stops it.

beforeEach(() => {
  Meter.timeSpentMs = 0;
});

describe('a --crds folder', () => {
  test('a hostile rule on a list of 10,000 items ends at the per-call limit within seconds, naming it', () => {
    const schemas = schemasWith(widgetCrd({ type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: "self.all(x, self.all(y, self.all(z, x + y + z != '')))" }] }));
    const found = errorsOf([widget({ list: Array.from({ length: 10_000 }, (_, i) => `i${i}`) })], { schemas });
    expect(found).toEqual([expect.stringMatching(/^error spec\.list: 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: .*PerCallLimit/)]);
  }, 60_000);
});
