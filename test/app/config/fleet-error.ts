import { readConfigFolder, synthesizeFleet, SynthError } from '../../../app/synth';

/** The message of the SynthError that synthesizing the config folder `dir` throws. */
export function fleetError(dir: string): string {
  try {
    synthesizeFleet(readConfigFolder(dir));
  } catch (e) {
    expect(e).toBeInstanceOf(SynthError);
    return (e as Error).message;
  }
  throw new Error('expected a SynthError');
}
