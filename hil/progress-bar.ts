/**
 * Progress of a measurement plan for humans: a cli-progress bar when stderr is a terminal; otherwise nothing
 * (logs and CI output stay clean, the journal records every result anyway).
 */
import { SingleBar, Presets } from 'cli-progress';
import type { PlanProgress } from './controller.ts';

export interface ProgressSink {
  update(p: PlanProgress): void;
  stop(): void;
}

export function progressSink(title: string, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${title} [{bar}] {value}/{total} jobs | {job} rep {rep} | eta {eta_formatted}`, stream, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, p.done, { job: p.jobId, rep: '' });
        started = true;
      }
      bar.update(p.done, { job: p.jobId, rep: `${p.repetition}/${p.repetitions}` });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
