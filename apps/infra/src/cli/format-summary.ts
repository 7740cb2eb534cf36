import type { SynthSummary } from '../synth-all';

/** A short human-readable report of a synthesis. */
export function formatSummary(summary: SynthSummary): string {
  const lines = [`Synthesized into ${summary.outdir}`];
  for (const env of summary.environments) {
    lines.push(`${env.environment} (${env.account} ${env.region}): nag ${env.nag.findings} unacknowledged, ${env.nag.acknowledged} acknowledged`);
    for (const stack of env.stacks) {
      lines.push(`  ${stack.name}: ${stack.resourceCount} resources`);
      for (const [type, count] of Object.entries(stack.resourcesByType)) lines.push(`    ${String(count).padStart(3)} ${type}`);
    }
  }
  lines.push(summary.passed ? 'Gates: passed' : 'Gates: FAILED');
  return lines.join('\n');
}
