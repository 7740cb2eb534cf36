/** What every part of the stack works from: where its state is, its ports, the model, its credentials. */
import { loadPlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { readCredentials, type Credentials } from './credentials';
import type { Artifacts } from './install';
import { cacheDir, credentialsFile, stateDir } from './paths';
import { resolvePorts, type Ports } from './ports';

export const LOCAL_ENV = 'local' as const;

/** A component that did not come up: which one, why, and the end of its log. */
export class ComponentError extends Error {
  constructor(
    readonly component: string,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(
      `${component} failed: ${reason}${logTail ? `\n--- last lines of ${component} log ---\n${logTail}` : ''}`,
    );
    this.name = 'ComponentError';
  }
}

export interface StackContext {
  state: string;
  cache: string;
  ports: Ports;
  model: PlatformModel;
  credsFile: string;
}

export function stackContext(env: NodeJS.ProcessEnv = process.env): StackContext {
  const state = stateDir(env);
  return {
    state,
    cache: cacheDir(env),
    ports: resolvePorts(env),
    model: loadPlatformModel(),
    credsFile: credentialsFile(state),
  };
}

export function requireCredentials(ctx: StackContext): Credentials {
  const c = readCredentials(ctx.credsFile);
  if (!c) throw new Error(`no credentials at ${ctx.credsFile}: run 'npm run stack -- up' first`);
  return c;
}

/** The context while `up` runs: credentials generated, artifacts installed. */
export interface UpContext extends StackContext {
  creds: Credentials;
  art: Artifacts;
  log: (msg: string) => void;
}
