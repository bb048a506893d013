/** Registry of queue disciplines by name. Add one: a file in this folder + one line here. */
import { InputError } from '../../base/errors.ts';
import type { QueueFactory } from './queue.ts';
import { fcfs } from './fcfs.ts';
import { edf } from './edf.ts';
import { sloAware } from './slo-aware.ts';

const queues: Record<string, QueueFactory> = {
  fcfs,
  edf,
  'slo-aware': sloAware,
};

export function queueNames(): string[] {
  return Object.keys(queues);
}

export function getQueue(name: string, where = 'queue'): QueueFactory {
  const q = queues[name];
  if (!q) throw new InputError(where, `unknown queue discipline "${name}" (known: ${queueNames().join(', ')})`);
  return q;
}
