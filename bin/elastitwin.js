#!/usr/bin/env node
// Entry point of the `elastitwin` command. Node 20 cannot run TypeScript, so tsx's loader is registered
// first; the CLI itself lives in cli/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
