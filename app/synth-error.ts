import { ConfigError } from './config/config-error';

/**
 * Synth failed for a reason the user can fix: config errors (each file's, in `errors`), or an
 * output folder that cannot or must not be written (OutputError). `message` is what to print.
 */
export class SynthError extends Error {
  constructor(public readonly errors: readonly ConfigError[], message = errors.map((e) => e.message).join('\n')) {
    super(message);
    this.name = 'SynthError';
  }
}
