/**
 * `nx run infra:summary` (or `tsx apps/infra/src/cli/summary.ts [outdir] [--json]`): synthesizes every
 * environment and prints stacks, resource counts by type and gate results.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthAll } from '../synth-all';
import { formatSummary } from './format-summary';

const args = process.argv.slice(2);
const json = args.includes('--json');
const dir = args.find((a) => !a.startsWith('--'));
const outdir = dir ? resolve(dir) : mkdtempSync(join(tmpdir(), 'lakewall-synth-'));
const summary = synthAll(outdir);
console.log(json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
if (!summary.passed) process.exitCode = 1;
