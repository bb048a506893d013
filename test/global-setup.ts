/**
 * vitest globalSetup: every test run gets a temporary directory of its own as TMPDIR, removed when the run
 * ends. Tests (and the CLI processes, agents and browsers they start) make their scratch folders with
 * os.tmpdir(), and not every one of them can clean up after itself (a killed child, a failed assertion
 * before the cleanup line); without this each `npm test` left a thousand folders behind in /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'elastitwin-tests-'));
  const previous = process.env.TMPDIR;
  // set before vitest starts its workers, which inherit the environment (and pass it to their children)
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    try {
      // a process a test started may still be writing there: retry a little, then say so and leave it
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (e) {
      console.warn(`could not remove the tests' temporary directory ${root}: ${(e as Error).message}`);
    }
  };
}
