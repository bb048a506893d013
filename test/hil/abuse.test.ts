/**
 * The agent under abuse, as a real process with the real addon: bad tokens are refused before anything runs;
 * thousands of generated malformed, truncated, oversized, schema-violating and unknown messages each get a
 * structured error; a second controller gets "busy"; and after all of it the agent still runs a valid plan.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentError, HilController } from '../../hil/controller.ts';
import { PROTOCOL_VERSION, decodeControllerMessage, encode, type AgentMessage } from '../../hil/protocol.ts';
import { runCli, startAgentProcess, tempDir, writeToken, type AgentProcess } from './agent-process.ts';
import { tinyJobs } from './jobs.ts';
import { openRaw } from './raw-client.ts';

let agent: AgentProcess;
let token: string;

beforeAll(async () => {
  const t = writeToken(tempDir());
  token = t.token;
  agent = await startAgentProcess(['--listen', '127.0.0.1:0', '--token-file', t.file]);
});
afterAll(async () => agent?.kill('SIGTERM'));

async function validPlanRuns(): Promise<void> {
  const ctl = await HilController.connect({ url: agent.url, token });
  try {
    const jobs = tinyJobs(2, { prefix: `ok${Date.now()}-` });
    const out = await ctl.runPlan(`ok-${Date.now()}`, jobs);
    expect(out.failures).toEqual([]);
    expect([...out.results.keys()].sort()).toEqual(jobs.map((j) => j.id).sort());
    for (const r of out.results.values()) expect(r.rawNs).toHaveLength(3);
  } finally {
    await ctl.close();
  }
}

describe('agent startup', () => {
  it('refuses to start without a token, and allows --insecure-no-auth only on loopback', async () => {
    const none = await runCli(['agent', '--listen', '127.0.0.1:0']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--token-file: required/);
    const open = await runCli(['agent', '--listen', '0.0.0.0:0', '--insecure-no-auth']);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/only allowed on a loopback address/);
    const empty = path.join(tempDir(), 'empty');
    writeFileSync(empty, '\n');
    const blank = await runCli(['agent', '--token-file', empty]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/token file is empty/);
  });
});

describe('agent authentication', () => {
  it('refuses a wrong or missing token with HTTP 401 and runs nothing', async () => {
    const plansBefore = agent.log.filter((l) => /agent: plan /.test(l)).length;
    for (const bad of ['wrong-token', `${token}x`, token.slice(0, -1), null]) {
      await expect(openRaw(agent.url, bad)).rejects.toMatchObject({ status: 401 });
      await expect(HilController.connect({ url: agent.url, token: bad })).rejects.toMatchObject({ code: 'auth' });
    }
    // the log line may trail the HTTP answer by a moment
    await vi.waitFor(() => expect(agent.log.filter((l) => /refused a connection/.test(l)).length).toBeGreaterThanOrEqual(8));
    expect(agent.log.filter((l) => /agent: plan /.test(l)).length).toBe(plansBefore);
  });

  it('makes calibrate exit 2 with a clear message when the token is wrong', async () => {
    const dir = tempDir();
    const wrong = writeToken(dir, 'not-the-token');
    const cli = await runCli(['calibrate', '--agent', agent.url, '--token-file', wrong.file, '--device', 'host', '--model', 'orca-mini-3b', '--out', path.join(dir, 'p.json')]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/refused the token \(HTTP 401\)/);
  });
});

const validPlan = { type: 'plan', planId: 'p1', jobs: tinyJobs(1) };

/** Anything that is not a valid controller message: noise, JSON of the wrong shape, broken plans. */
const badMessage = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.record({ type: fc.string({ maxLength: 20 }), id: fc.anything() }).map((o) => JSON.stringify(o)),
  fc.integer({ min: 1, max: JSON.stringify(validPlan).length - 1 }).map((n) => JSON.stringify(validPlan).slice(0, n)),
  fc.tuple(fc.constantFrom('planId', 'jobs', 'type'), fc.anything()).map(([k, v]) => JSON.stringify({ ...validPlan, [k]: v })),
  fc.tuple(fc.constantFrom('tokens', 'threads', 'repetitions', 'op', 'dtype', 'block', 'cooldownMs'), fc.anything())
    .map(([k, v]) => JSON.stringify({ ...validPlan, jobs: [{ ...validPlan.jobs[0], [k]: v }] })),
  fc.constantFrom('cancel', 'ping', 'hello').map((type) => JSON.stringify({ type, extra: true })),
).filter((text) => !decodeControllerMessage(text, 256 * 1024).ok);

describe('agent under malformed input', () => {
  it('answers thousands of generated bad messages with one structured error each, then serves a plan', async () => {
    const messages = fc.sample(badMessage, { numRuns: 3000, seed: 20261121 });
    const client = await openRaw(agent.url, token);
    client.ws.send(encode({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'abuse-test' }));
    await client.waitReplies(1);
    for (const m of messages) client.ws.send(m);
    const replies = await client.waitReplies(1 + messages.length, 60_000);
    const errors = replies.slice(1);
    expect(errors.every((r) => r.type === 'error')).toBe(true);
    const codes = new Set(errors.map((r) => (r as Extract<AgentMessage, { type: 'error' }>).code));
    for (const c of ['bad-json', 'schema', 'unknown-type']) expect(codes).toContain(c);
    client.ws.close();
    await client.closed;
    await validPlanRuns();
  });

  it('answers oversized, binary and out-of-order messages, and survives a frame above the hard cap', async () => {
    const client = await openRaw(agent.url, token);
    client.ws.send(JSON.stringify({ type: 'ping', id: 1, pad: 'x'.repeat(300 * 1024) }));
    client.ws.send(Buffer.from([1, 2, 3]));
    client.ws.send(encode({ type: 'plan', planId: 'early', jobs: tinyJobs(1) }));
    client.ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION + 1, client: 'future' }));
    const replies = await client.waitReplies(4);
    expect(replies.map((r) => (r.type === 'error' ? r.code : r.type))).toEqual(['too-large', 'binary', 'not-hello', 'bad-protocol']);
    await client.closed;

    const huge = await openRaw(agent.url, token);
    huge.ws.send('x'.repeat(2 * 1024 * 1024));
    expect((await huge.closed).code).toBe(1009);
    await validPlanRuns();
  });

  it('rejects plans that break the semantic limits with plan-invalid', async () => {
    const client = await openRaw(agent.url, token);
    client.ws.send(encode({ type: 'hello', protocol: PROTOCOL_VERSION, client: 't' }));
    const [job] = tinyJobs(1);
    const bad = [
      { ...job!, activeHeads: 5 },
      { ...job!, tokens: 999 },
      { ...job!, threads: 64 },
      { ...job!, block: { ...job!.block, hidden: 65 } },
    ];
    for (const [i, j] of bad.entries()) client.ws.send(encode({ type: 'plan', planId: `bad${i}`, jobs: [j] }));
    const replies = (await client.waitReplies(1 + bad.length)).slice(1);
    expect(replies.map((r) => (r.type === 'error' ? r.code : r.type))).toEqual(bad.map(() => 'plan-invalid'));
    client.ws.close();
    await client.closed;
  });
});

describe('while a plan runs', () => {
  it('answers a ping in the middle of a kernel-bound job and stops the plan on cancel', async () => {
    const client = await openRaw(agent.url, token);
    client.ws.send(encode({ type: 'hello', protocol: PROTOCOL_VERSION, client: 't' }));
    await client.waitReplies(1);
    const [long, ...rest] = tinyJobs(4, { prefix: 'long-' });
    client.ws.send(encode({ type: 'plan', planId: 'long', jobs: [{ ...long!, tokens: 200, repetitions: 1000 }, ...rest] }));
    await vi.waitFor(() => expect(client.replies.some((r) => r.type === 'progress' && r.jobId === 'long-0' && r.repetition >= 1)).toBe(true), { timeout: 20_000, interval: 2 });
    client.ws.send(encode({ type: 'ping', id: 42 }));
    await vi.waitFor(() => expect(client.replies.some((r) => r.type === 'pong' && r.id === 42)).toBe(true), { timeout: 20_000, interval: 2 });
    // the pong overtook the job's result: kernels run off the event loop
    const order = client.replies.map((r) => (r.type === 'pong' ? 'pong' : r.type === 'result' ? r.jobId : null)).filter((x) => x !== null);
    expect(order[0]).toBe('pong');
    expect(client.replies.find((r) => r.type === 'pong')).toMatchObject({ running: 'long' });
    client.ws.send(encode({ type: 'cancel', planId: 'long' }));
    await vi.waitFor(() => expect(client.replies.some((r) => r.type === 'plan-done')).toBe(true), { timeout: 20_000 });
    const done = client.replies.find((r) => r.type === 'plan-done') as { status: string; completed: number };
    expect(done.status).toBe('cancelled');
    expect(done.completed).toBeLessThan(4);
    client.ws.close();
    await client.closed;
  });
});

describe('one controller at a time', () => {
  it('tells a second controller "busy" and lets it in once the first leaves', async () => {
    const first = await HilController.connect({ url: agent.url, token });
    const err = await HilController.connect({ url: agent.url, token }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect((err as AgentError).code).toBe('busy');
    expect((err as AgentError).message).toMatch(/another controller/);
    await first.close();
    await agent.waitForLog(/controller disconnected/);
    const second = await HilController.connect({ url: agent.url, token });
    expect(await second.ping()).toBeGreaterThan(0);
    await second.close();
  });
});

describe('per-job time limit', () => {
  it('stops a job that overruns --max-job-ms with job-timeout and runs the next one', async () => {
    const t = writeToken(tempDir());
    const strict = await startAgentProcess(['--listen', '127.0.0.1:0', '--token-file', t.file, '--max-job-ms', '200']);
    try {
      const ctl = await HilController.connect({ url: strict.url, token: t.token });
      const [slow, quick] = tinyJobs(2, { prefix: 'limit-' });
      const jobs = [{ ...slow!, tokens: 200, repetitions: 1000 }, quick!];
      const out = await ctl.runPlan('limit', jobs);
      await ctl.close();
      expect(out.failures).toEqual([{ jobId: 'limit-0', code: 'job-timeout', message: expect.stringMatching(/longer than 200 ms/) }]);
      expect([...out.results.keys()]).toEqual(['limit-1']);
    } finally {
      await strict.kill('SIGTERM');
    }
  });
});
