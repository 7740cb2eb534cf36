/** Health of every component, as `status` prints it and `up` checks it. */
import * as fs from 'node:fs';
import { COMPONENT_SPECS, endpointOf } from './components';
import { stackContext, type StackContext } from './context';
import { readCredentials, type Credentials } from './credentials';
import { logFile, pidFile } from './paths';
import { COMPONENTS, type Component } from './ports';
import { ownedPid, rssBytes } from './proc';

export interface ComponentStatus {
  name: Component;
  endpoint: string;
  healthy: boolean;
  pid: number | null;
  rssBytes: number;
  reason?: string;
  log: string;
  credentialsFile: string;
}

export interface StackStatus {
  healthy: boolean;
  stateDir: string;
  credentialsFile: string;
  totalRssBytes: number;
  components: ComponentStatus[];
}

/** Returns undefined when healthy, else the reason. */
export function checkHealth(
  c: Component,
  ctx: StackContext,
  creds: Credentials | undefined,
): Promise<string | undefined> {
  return COMPONENT_SPECS[c].health(ctx, creds);
}

/** Health plus the component's further readiness condition (Connect: worker joined the cluster). */
export async function checkReady(
  c: Component,
  ctx: StackContext,
  creds: Credentials | undefined,
): Promise<string | undefined> {
  const reason = await checkHealth(c, ctx, creds);
  if (reason) return reason;
  return COMPONENT_SPECS[c].inService?.(ctx, creds);
}

/** RSS of a process plus its direct children (PostgreSQL forks its backends). */
function treeRss(pid: number): number {
  let total = rssBytes(pid);
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const c of children.split(/\s+/).filter(Boolean)) total += rssBytes(Number(c));
  } catch {
    /* no children info */
  }
  return total;
}

export async function readStackStatus(ctx: StackContext = stackContext()): Promise<StackStatus> {
  const creds = readCredentials(ctx.credsFile);
  const components = await Promise.all(
    COMPONENTS.map(async (name): Promise<ComponentStatus> => {
      const host = COMPONENT_SPECS[name].hostedBy;
      const pid = ownedPid(pidFile(ctx.state, host ?? name)) ?? null;
      const reason: string | undefined = pid
        ? await checkReady(name, ctx, creds)
        : host
          ? `${host} is not running`
          : 'not running';
      return {
        name,
        endpoint: endpointOf(name, ctx.ports),
        healthy: !!pid && !reason,
        pid,
        // A hosted component's memory is its host's: counted once, there.
        rssBytes: pid && !host ? treeRss(pid) : 0,
        ...(reason ? { reason } : {}),
        log: logFile(ctx.state, name),
        credentialsFile: ctx.credsFile,
      };
    }),
  );
  return {
    healthy: components.every((c) => c.healthy),
    stateDir: ctx.state,
    credentialsFile: ctx.credsFile,
    totalRssBytes: components.reduce((n, c) => n + c.rssBytes, 0),
    components,
  };
}
