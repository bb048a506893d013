/**
 * Errors a user can fix (bad scenario, trace, flag, message). The CLI prints them without a stack trace and
 * exits with code 2. `where` names the file and/or JSON path so the user knows what to change.
 */
export class InputError extends Error {
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'InputError';
    this.where = where;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
