/**
 * Writes a file all-or-nothing: the content goes to a temporary file beside the target, which is renamed
 * into place only once it is complete. A failure (bad input found late, full disk) leaves no partial file.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(target: string, chunks: Iterable<string>): void {
  const dir = path.dirname(path.resolve(target));
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  let fd: number | null = openSync(tmp, 'w');
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
