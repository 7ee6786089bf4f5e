import { BOTH_TOOLS, corpus, objectsOf, ONE_TOOL, rightsForEveryObject, SAMPLE, synth, withRbac } from './applier-rbac-corpus';

// The corpus test of applier-rbac.test.ts on the whole corpus: for both tools, Argo CD alone and
// Flux alone (each alone writes fewer rights).
rightsForEveryObject([BOTH_TOOLS, ...ONE_TOOL]);

test('the unit tier\'s sample of the corpus writes every kind of object the whole corpus writes', () => {
  const kinds = (keys: string[]) => [...new Set(keys.flatMap((key) => objectsOf(synth(withRbac(corpus[key]))).map((o) => `${o.apiVersion} ${o.kind}`)))].sort();
  expect(kinds(SAMPLE)).toEqual(kinds(Object.keys(corpus)));
});
