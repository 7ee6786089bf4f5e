import { dump } from 'js-yaml';

// YAML for dist/: block style, no line folding, no anchors, double quotes where quotes are
// needed, multi-line strings as literal blocks. js-yaml is about 2.5 times faster than the
// `yaml` package's stringify here (bench/fleet.mjs), which matters for a fleet.
const OPTIONS = { lineWidth: -1, noRefs: true, quoteStyle: 'double' } as const;

/** One or more objects as a YAML stream (documents separated by `---`). */
export function toYaml(...documents: unknown[]): string {
  return documents.map((doc) => dump(doc, OPTIONS)).join('---\n');
}
