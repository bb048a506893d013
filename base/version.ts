import { readFileSync } from 'node:fs';

/** The package version, stamped into summaries and profiles. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
