/** What the orchestration (up, down, status) needs to know about one component. */
import type { Credentials } from '../credentials';
import type { StackContext, UpContext } from '../context';
import type { Component, Ports } from '../ports';

export interface ComponentSpec {
  /** Where clients reach it (shown by `status`). */
  endpoint(ports: Ports): string;
  /** The ports it binds. */
  ports(ports: Ports): number[];
  /** How long `up` waits for it to become ready. */
  readyTimeoutMs: number;
  /** Undefined when healthy, else the reason. */
  health(ctx: StackContext, creds: Credentials | undefined): Promise<string | undefined>;
  /** A further readiness condition checked after `health` by `status` and while starting. */
  inService?(ctx: StackContext, creds: Credentials | undefined): Promise<string | undefined>;
  /**
   * Writes the component's generated configuration; true when a file changed. `up` restarts a
   * running component whose configuration changed, so the stack converges on the model.
   */
  configure?(ctx: UpContext): boolean;
  /** Starts the process (configs written, data initialised); returns its pid. */
  start?(ctx: UpContext): number;
  /**
   * A component without a process of its own, hosted by another (the Iceberg catalog is a database
   * in PostgreSQL): `up` provisions it, `status` shows its host's pid, `down` stops its host.
   */
  hostedBy?: Component;
  /** How long `down` waits for it to exit; `firstSignal` is sent before the usual stop. */
  stop: { timeoutMs: number; firstSignal?: NodeJS.Signals };
}

/** GET `url`: undefined on a 2xx answer, else the reason. */
export async function httpOk(url: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok ? undefined : `GET ${url} -> HTTP ${res.status}`;
  } catch (e) {
    return `GET ${url}: ${(e as Error).message}`;
  }
}

/** The environment for JVM components: without JAVA_TOOL_OPTIONS/_JAVA_OPTIONS from the caller. */
export function javaEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.JAVA_TOOL_OPTIONS;
  delete env._JAVA_OPTIONS;
  return env;
}
