/**
 * Append-only JSONL journal of a measurement plan. The first line names the plan (id + hash of its jobs); each
 * later line is one job's result, written and fsync'ed the moment it arrives. Re-opening the journal of the
 * same plan yields the results already in hand, so an interrupted run resumes with the missing jobs only:
 * no sample lost, none measured twice. A line torn by a crash mid-write is dropped (and cut off the file).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../base/errors.ts';
import type { DeviceState, Job } from './protocol.ts';

export interface JobResult {
  jobId: string;
  rawNs: number[];
  warmupNs: number[];
  before: DeviceState;
  after: DeviceState;
}

interface Header { kind: 'plan'; planId: string; jobsHash: string; jobs: Job[] }

/** Hash of the jobs' canonical JSON: a journal only resumes the very plan it was written for. */
export function jobsHash(jobs: Job[]): string {
  return createHash('sha256').update(JSON.stringify(jobs)).digest('hex');
}

export class Journal {
  private fd: number;
  readonly results = new Map<string, JobResult>();
  /** Results read back from an earlier, interrupted run. */
  readonly resumed: number;

  private constructor(readonly file: string, fd: number, previous: JobResult[]) {
    this.fd = fd;
    for (const r of previous) this.results.set(r.jobId, r);
    this.resumed = this.results.size;
  }

  /** Opens (or creates) the journal of plan `planId`; a journal of another plan is an input error. */
  static open(file: string, planId: string, jobs: Job[]): Journal {
    const header: Header = { kind: 'plan', planId, jobsHash: jobsHash(jobs), jobs };
    const known = new Set(jobs.map((j) => j.id));
    const previous: JobResult[] = [];
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      const lastNewline = text.lastIndexOf('\n');
      // a torn tail (crash mid-append) is not a result: cut it so the next append starts a clean line
      if (lastNewline + 1 < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, lastNewline + 1)));
      const lines = text.slice(0, lastNewline + 1).split('\n').filter((l) => l !== '');
      lines.forEach((line, i) => {
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch {
          throw new InputError(`${file}:${i + 1}`, 'journal line is not JSON (the file was edited or corrupted)');
        }
        if (i === 0) {
          const h = rec as Header;
          if (h.kind !== 'plan' || h.planId !== planId || h.jobsHash !== header.jobsHash) {
            throw new InputError(`${file}:1`, `journal belongs to another plan (${h.planId ?? '?'}); use a new journal file or delete it`);
          }
          return;
        }
        const r = rec as { kind?: string } & JobResult;
        if (r.kind === 'result' && known.has(r.jobId) && !previous.some((p) => p.jobId === r.jobId)) {
          previous.push({ jobId: r.jobId, rawNs: r.rawNs, warmupNs: r.warmupNs, before: r.before, after: r.after });
        }
      });
    }
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const fresh = !existsSync(file) || readFileSync(file, 'utf8') === '';
    const fd = openSync(file, 'a');
    const journal = new Journal(file, fd, previous);
    if (fresh) journal.writeLine(header);
    return journal;
  }

  /**
   * The plan a journal was started for (its first line), or null when the file does not exist or is empty.
   * A resumed run re-sends exactly these jobs even if the plan would be built differently today.
   */
  static readPlan(file: string): { planId: string; jobs: Job[] } | null {
    if (!existsSync(file)) return null;
    const first = readFileSync(file, 'utf8').split('\n')[0]!;
    if (first === '') return null;
    try {
      const h = JSON.parse(first) as Header;
      if (h.kind === 'plan' && typeof h.planId === 'string' && Array.isArray(h.jobs)) return { planId: h.planId, jobs: h.jobs };
    } catch {
      // fall through to the error below
    }
    throw new InputError(`${file}:1`, 'not a measurement journal (first line is not a plan header)');
  }

  private writeLine(rec: object): void {
    writeSync(this.fd, `${JSON.stringify(rec)}\n`);
    fsyncSync(this.fd);
  }

  /** Records a result; returns false (and writes nothing) when that job is already journaled. */
  append(result: JobResult): boolean {
    if (this.results.has(result.jobId)) return false;
    this.writeLine({ kind: 'result', ...result });
    this.results.set(result.jobId, result);
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }
}
