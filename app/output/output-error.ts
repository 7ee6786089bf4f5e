import { SynthError } from '../config/config-error';

/**
 * The output folder cannot be written (a full disk, a read-only file system...) or must not be
 * (it holds files synth did not write, another synth is writing it): one line saying which
 * folder or file, why, and what became of the output. A SynthError, so that the commands print
 * it like a config error, without a stack trace.
 */
export class OutputError extends SynthError {
  constructor(message: string) {
    super([], message);
    this.name = 'OutputError';
  }
}

/** Another synth holds the output folder's lock. */
export class OutputLockedError extends OutputError {
  constructor(message: string, public readonly pid: number) {
    super(message);
    this.name = 'OutputLockedError';
  }
}
