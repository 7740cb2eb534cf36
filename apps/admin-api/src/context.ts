import type { EnvName, PlatformModel } from '@lakewall/platform-model';
import type { Wall } from './domain/wall';
import type { Sources } from './sources/types';

/** What every route works from: the model, the wall derived from it, and the injected sources. */
export interface AppContext {
  readonly env: EnvName;
  readonly model: PlatformModel;
  readonly wall: Wall;
  readonly sources: Sources;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
