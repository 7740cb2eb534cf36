import './workspace-paths';

/**
 * Brings the local stack up (idempotent); a failure fails the whole run.
 *
 * The local stack itself calls this project's applyModel, so a static import of
 * '@lakewall/local-stack' here would make the project graph circular (build -> ^build). The module
 * name is therefore built at run time: only the integration run needs it.
 */
export default async function globalSetup(): Promise<void> {
  const name = ['@lakewall', 'local-stack'].join('/');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ensureStackUp } = require(name) as { ensureStackUp: () => Promise<unknown> };
  await ensureStackUp();
}
