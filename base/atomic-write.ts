/**
 * Writes a file all-or-nothing: the content goes to a temporary file beside the target (same file system,
 * so the rename is atomic), which is renamed into place only once it is complete. Any failure (bad input
 * found late, full disk, an interrupt) removes the temporary file and leaves the previous target untouched.
 * The file gets the umask's permissions, like any file the user creates.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/** The temporary sibling a write goes through; its prefix lets stale ones be recognised. */
export function temporarySibling(target: string): string {
  const dir = path.dirname(path.resolve(target));
  return path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export function writeFileAtomic(target: string, content: string | Uint8Array | Iterable<string>): void {
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const tmp = temporarySibling(target);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    if (typeof content === 'string' || content instanceof Uint8Array) writeAll(fd, content);
    else for (const chunk of content) writeAll(fd, chunk);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** writeSync may write less than asked (large buffers, pipes): loop until all of it is out. */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** `value` as 2-space indented JSON with a trailing newline, written atomically. */
export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`);
}
