/**
 * Turns one policy's outcome columns into requests.csv rows (format owned by reports/requests-csv.ts).
 * Times are rounded to the microsecond so the CSV does not print float32 noise.
 */
import type { RequestRow } from './results.ts';
import type { RequestTable } from './request-table.ts';
import {
  FLAG_CORRECT, FLAG_DROPPED, FLAG_TPOT_OK, FLAG_TTFT_OK, type OutcomeTable,
} from './outcomes.ts';

const ms = (x: number): number => Math.round(x * 1000) / 1000;

export function requestRows(policy: string, table: RequestTable, out: OutcomeTable): RequestRow[] {
  const rows: RequestRow[] = [];
  for (let i = 0; i < table.length; i++) {
    const c = table.classes[table.classIndex[i]!]!;
    const f = out.flags[i]!;
    const dropped = (f & FLAG_DROPPED) !== 0;
    const ttftOk = (f & FLAG_TTFT_OK) !== 0;
    const tpotOk = (f & FLAG_TPOT_OK) !== 0;
    rows.push({
      policy,
      id: table.id[i]!,
      app: c.app,
      dataset: c.dataset,
      arrivalMs: ms(table.arrivalMs[i]!),
      modelRatio: dropped ? null : out.modelTenths[i]! / 10,
      promptRatio: dropped ? null : out.promptTenths[i]! / 10,
      promptTokens: out.promptTokens[i]!,
      outputTokens: table.outputTokens[i]!,
      queueMs: dropped ? null : ms(out.queueMs[i]!),
      tlmMs: dropped ? null : ms(out.tlmMs[i]!),
      switchMs: dropped ? null : ms(out.switchMs[i]!),
      prefillMs: dropped ? null : ms(out.prefillMs[i]!),
      decodeMs: dropped ? null : ms(out.decodeMs[i]!),
      ttftMs: dropped ? null : ms(out.ttftMs(i)),
      tpotMs: dropped ? null : ms(out.tpotMs[i]!),
      ttftBudgetMs: ms(out.ttftBudgetMs[i]!),
      tpotBudgetMs: ms(out.tpotBudgetMs[i]!),
      ttftOk,
      tpotOk,
      sloMet: ttftOk && tpotOk,
      quality: Math.round(out.quality[i]! * 1e6) / 1e6,
      correct: (f & FLAG_CORRECT) !== 0,
      dropped,
    });
  }
  return rows;
}
