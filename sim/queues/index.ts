/** Queue disciplines by name. A shipped one is a file in this folder plus one line here; a user's is a plug-in. */
import { Registry } from '../../base/registry.ts';
import type { QueueFactory } from './queue.ts';
import { fcfs } from './fcfs.ts';
import { edf } from './edf.ts';
import { sloAware } from './slo-aware.ts';

/** Every queue discipline by name: the shipped ones, then plug-ins' (cli/plugins.ts). */
export const queues = new Registry<QueueFactory>('queue discipline');
queues.register('fcfs', fcfs);
queues.register('edf', edf);
queues.register('slo-aware', sloAware);

export function queueNames(): string[] {
  return queues.names();
}

export function getQueue(name: string, where = 'queue'): QueueFactory {
  return queues.get(name, where);
}
