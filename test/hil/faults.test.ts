/**
 * Faults mid-plan, with real processes: the agent killed and restarted on the same port (the controller
 * reconnects and finishes with every sample exactly once), and the controller killed (the agent cancels the
 * plan, is ready for the next controller, and a re-run resumes from the journal without duplicates).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HilController } from '../../hil/controller.ts';
import { Journal } from '../../hil/journal.ts';
import { CLI, ROOT, freePort, runCli, startAgentProcess, tempDir, writeToken, type AgentProcess } from './agent-process.ts';
import { tinyJobs } from './jobs.ts';
import { spawn } from 'node:child_process';

const started: AgentProcess[] = [];
afterEach(async () => {
  for (const a of started.splice(0)) await a.kill();
});

async function agentOn(port: number, tokenFile: string): Promise<AgentProcess> {
  const a = await startAgentProcess(['--listen', `127.0.0.1:${port}`, '--token-file', tokenFile]);
  started.push(a);
  return a;
}

/** Result lines of a journal file, by job id (a duplicate would show up as a count of 2). */
function journalCounts(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (line === '') continue;
    const rec = JSON.parse(line) as { kind: string; jobId: string };
    if (rec.kind === 'result') counts.set(rec.jobId, (counts.get(rec.jobId) ?? 0) + 1);
  }
  return counts;
}

describe('agent killed mid-plan', () => {
  it('controller reconnects to the restarted agent and completes with every sample exactly once', async () => {
    const dir = tempDir();
    const { file: tokenFile, token } = writeToken(dir);
    const port = await freePort();
    const first = await agentOn(port, tokenFile);
    const jobs = tinyJobs(14, { cooldownMs: 150 });
    const journalFile = path.join(dir, 'plan.jsonl');
    const journal = Journal.open(journalFile, 'kill-agent', jobs);
    const ctl = await HilController.connect({ url: first.url, token });
    let killed = false;
    const done = ctl.runPlan('kill-agent', jobs, {
      journal,
      reconnectDelayMs: 200,
      onProgress: () => {
        if (!killed && journal.results.size >= 4) {
          killed = true;
          void first.kill('SIGKILL').then(async () => agentOn(port, tokenFile));
        }
      },
    });
    const outcome = await done;
    journal.close();
    await ctl.close();
    expect(killed).toBe(true);
    expect(outcome.reconnects).toBeGreaterThanOrEqual(1);
    expect(outcome.failures).toEqual([]);
    const counts = journalCounts(journalFile);
    expect([...counts.keys()].sort()).toEqual(jobs.map((j) => j.id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const r of outcome.results.values()) expect(r.rawNs).toHaveLength(3);
  }, 600_000);
});

describe('controller killed mid-plan', () => {
  it('agent cancels the plan and serves a new controller; re-running resumes from the journal', async () => {
    const dir = tempDir();
    const { file: tokenFile } = writeToken(dir);
    const agent = await agentOn(0, tokenFile);
    const out = path.join(dir, 'profile.json');
    const args = [
      'calibrate', '--agent', agent.url, '--token-file', tokenFile, '--device', 'host', '--model', 'orca-mini-3b',
      '--block-scale', '0.125', '--prompt-tokens', '16,32,64', '--context-tokens', '32,64,128', '--budget-s', '30',
      '--cooldown-ms', '40', '--out', out,
    ];
    const controller = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'ignore' });
    await agent.waitForLog(/plan cal-\S+ \(\d+ jobs\)/);
    // let a few results reach the journal, then kill the controller without warning
    await new Promise((r) => setTimeout(r, 1500));
    controller.kill('SIGKILL');
    await agent.waitForLog(/controller left; cancelling plan cal-/);
    await agent.waitForLog(/plan cal-\S+ cancelled/);
    const partial = journalCounts(`${out}.journal.jsonl`).size;

    const rerun = await runCli(args);
    expect(rerun.stderr).toMatch(/resuming plan cal-/);
    expect(rerun.code).toBe(0);
    const header = Journal.readPlan(`${out}.journal.jsonl`)!;
    const counts = journalCounts(`${out}.journal.jsonl`);
    expect([...counts.keys()].sort()).toEqual(header.jobs.map((j) => j.id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    if (partial > 0) expect(rerun.stdout).toMatch(new RegExp(`${partial} results resumed from the journal`));
  }, 600_000);
});
