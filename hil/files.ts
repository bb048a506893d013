/** Output files of calibrate/verify: written whole to a temp file beside the target, then renamed. */
export { writeJsonAtomic } from '../base/atomic-write.ts';
