/**
 * Starts the real agent as a child process (`node bin/elastitwin.js agent …`) on loopback and hands back its
 * URL, its log lines and a way to kill it. Shared by the HIL integration tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'bin/elastitwin.js');

export interface AgentProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  /** stderr lines so far (the agent's log). */
  log: string[];
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function tempDir(prefix = 'elastitwin-hil-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeToken(dir: string, token = 'test-token-7f3a9c'): { file: string; token: string } {
  const file = path.join(dir, 'token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { file, token };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startAgentProcess(args: string[], timeoutMs = 30_000): Promise<AgentProcess> {
  const proc = spawn(process.execPath, [CLI, 'agent', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  let partial = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      log.push(line);
      for (const w of [...waiters]) if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`agent did not start: ${log.join('\n')}`)), timeoutMs);
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code}: ${log.join('\n')}${partial}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    proc,
    log,
    waitForLog(pattern, ms = 60_000) {
      const seen = log.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line ${pattern} within ${ms} ms; log:\n${log.join('\n')}`)), ms);
        waiters.push({ pattern, resolve: (l) => { clearTimeout(timer); resolve(l); } });
      });
    },
    async kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

/** Runs the CLI to completion; resolves with its exit code and output. */
export function runCli(args: string[], timeoutMs = 150_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`elastitwin ${args.join(' ')} timed out; stderr:\n${stderr}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
