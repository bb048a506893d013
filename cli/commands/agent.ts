/** `elastitwin agent`: the device side of the HIL bridge (run it on the phone, or on loopback for tests). */
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { isLoopback, startAgent } from '../../hil/agent.ts';
import { readTokenFile } from '../../hil/controller.ts';

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InputError(`--listen ${value}`, 'expected HOST:PORT, e.g. 127.0.0.1:8765 (port 0 picks a free one)');
  return { host: (m[1] ?? m[2])!, port };
}

export function register(program: Command): void {
  program
    .command('agent')
    .description('serve HIL measurement plans on this device\'s native kernels over WebSocket')
    .option('--listen <host:port>', 'address to bind (loopback by default; reach it with adb forward)', '127.0.0.1:8765')
    .option('--token-file <file>', 'file whose first line is the shared secret controllers must present')
    .option('--insecure-no-auth', 'accept controllers without a token (loopback addresses only)')
    .option('--max-job-ms <ms>', 'per-job time limit', (v) => Number(v))
    .action(async (opts: { listen: string; tokenFile?: string; insecureNoAuth?: boolean; maxJobMs?: number }) => {
      const { host, port } = parseListen(opts.listen);
      let token: string | null = null;
      if (opts.tokenFile) token = await readTokenFile(opts.tokenFile);
      else if (!opts.insecureNoAuth) throw new InputError('--token-file', 'required: the agent refuses to run without a token (or --insecure-no-auth on loopback)');
      if (token === null && !isLoopback(host)) throw new InputError('--insecure-no-auth', `only allowed on a loopback address, not ${host}`);
      if (opts.maxJobMs !== undefined && !(Number.isInteger(opts.maxJobMs) && opts.maxJobMs > 0)) {
        throw new InputError('--max-job-ms', 'must be a positive integer');
      }
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const agent = await startAgent({ host, port, token, log, limits: opts.maxJobMs ? { maxJobMs: opts.maxJobMs } : {} });
      // the first stdout line is machine-read by tests and scripts
      process.stdout.write(`listening ${agent.url}\n`);
      const stop = (): void => void agent.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
