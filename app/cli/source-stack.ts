import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/**
 * `stack` with each frame in a bundle that has a source map beside it (`<bundle>.map`) pointing
 * at the TypeScript source instead. Done only when a stack is printed: enabling Node's source
 * maps up front costs every run about 40 ms.
 */
export function mapStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(/([^\s(]+\.c?js):(\d+):(\d+)/g, (frame, file: string, line: string, column: string) => {
    if (!maps.has(file)) maps.set(file, loadMap(`${file}.map`));
    const entry = maps.get(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry)) return frame;
    return `${entry.originalSource.replace(/^(\.\.\/)+/, '')}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function loadMap(file: string): SourceMap | undefined {
  try {
    return existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
  } catch {
    return undefined;
  }
}
