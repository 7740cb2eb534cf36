import type { SynthSummary } from '../synth-all';

const WIDTH = 100;

/** Packs "count Type" items into indented lines no wider than WIDTH. */
function wrap(items: string[], indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && indent.length + line.length + item.length + 2 > WIDTH) {
      lines.push(indent + line);
      line = '';
    }
    line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** A short human-readable report of a synthesis: per environment, its stacks, resource counts by type and gates. */
export function formatSummary(summary: SynthSummary): string {
  const lines = [`Synthesized into ${summary.outdir}`];
  for (const env of summary.environments) {
    lines.push(
      `${env.environment} (${env.account} ${env.region}): cdk-nag ${env.nag.findings} unacknowledged, ${env.nag.acknowledged} acknowledged`,
    );
    for (const stack of env.stacks) {
      lines.push(`  ${stack.name}: ${stack.resourceCount} resources`);
      const byType = Object.entries(stack.resourcesByType)
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([type, count]) => `${count} ${type.replace(/^AWS::/, '')}`);
      lines.push(...wrap(byType, '    '));
    }
  }
  lines.push(summary.passed ? 'Gates: passed' : 'Gates: FAILED');
  return lines.join('\n');
}
