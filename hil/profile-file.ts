/** Checks a freshly fitted profile against the cost models' own schema before it is written. */
import { DEVICE_PROFILE_SCHEMA } from '../cost-models/calibrated.ts';
import { describeAjvErrors, schemaValidator } from '../base/json-file.ts';

export function validateProfile(profile: unknown, where: string): void {
  const validate = schemaValidator(DEVICE_PROFILE_SCHEMA);
  // a failure here is our bug, not the user's: say so plainly
  if (!validate(profile)) throw new Error(`${where}: calibrate produced an invalid device profile: ${describeAjvErrors(validate.errors)}`);
}
