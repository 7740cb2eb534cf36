/** Reads one sample from the stack's running monitor's /metrics, by metric name and labels. */
import { endpointOf } from '../src/components';
import { stackContext } from '../src/context';

export async function monitorMetric(
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const text = await (await fetch(`${endpointOf('monitor', stackContext().ports)}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}
