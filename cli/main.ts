/**
 * The `elastitwin` command. Thin by design: each sub-command lives in cli/commands/<name>.ts, parses its
 * flags and calls the library APIs. Input errors exit with code 2 and a message naming what is wrong.
 */
import { Command, CommanderError } from 'commander';
import { isInputError } from '../base/errors.ts';
import './wiring.ts';
import { registerAll } from './commands/index.ts';
import { VERSION } from '../base/version.ts';

const USER_FS_ERRORS = new Set(['EACCES', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOSPC', 'ENOTDIR', 'EPERM', 'EROFS']);

const program = new Command();
program
  .name('elastitwin')
  .description('Digital twin of an elastic on-device LLM service (ElastiLM, MobiCom\'25)')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError(false)
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
registerAll(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here with code 0; flag errors were already printed by commander
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (isInputError(e)) {
    process.stderr.write(`elastitwin: ${e.message}\n`);
    process.exit(2);
  }
  // a file-system error on a path the user gave (an unwritable --out, a folder where a file should be):
  // the user can fix it, so it is reported like bad input rather than as a crash
  const sys = e as NodeJS.ErrnoException;
  if (sys && typeof sys.code === 'string' && typeof sys.path === 'string' && USER_FS_ERRORS.has(sys.code)) {
    process.stderr.write(`elastitwin: ${sys.path}: cannot ${sys.syscall ?? 'access'} (${sys.code})\n`);
    process.exit(2);
  }
  throw e;
}
