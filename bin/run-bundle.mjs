// Runs a CommonJS bundle of the tool in this process, with Node's compile cache: V8 then skips
// compiling its megabytes of JavaScript on later runs. (The tool maps a stack trace to the
// TypeScript sources itself, when it prints one.)
import module, { createRequire } from 'node:module';

export function runBundle(bundle) {
  module.enableCompileCache?.();
  createRequire(import.meta.url)(bundle);
}
