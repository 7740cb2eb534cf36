/**
 * The local stack's lake reader, described in its state directory by `up` (the JVM, the jars and the
 * catalog's non-secret settings), so a service reads the local lake without importing the stack's
 * tooling. Secrets stay in the stack's credentials file and are passed in by the caller.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { jdbcCatalog } from './catalog';
import type { LakeCatalog, LakeToolRuntime } from './lake-tool';

export const LOCAL_LAKE_RUNTIME_FILE = 'lake-reader.json';

const Descriptor = z.strictObject({
  java: z.string().min(1),
  classpath: z.array(z.string().min(1)).min(1),
  toolSource: z.string().min(1).optional(),
  catalog: z.strictObject({
    name: z.string().min(1),
    uri: z.string().startsWith('jdbc:'),
    user: z.string().min(1),
    warehouse: z.string().min(1),
    region: z.string().min(1),
    s3Endpoint: z.url(),
  }),
});
export type LocalLakeDescriptor = z.infer<typeof Descriptor>;

export function localLakeRuntimePath(stateDir: string): string {
  return path.join(stateDir, LOCAL_LAKE_RUNTIME_FILE);
}

export function describeLocalLake(d: LocalLakeDescriptor): string {
  return `${JSON.stringify(Descriptor.parse(d), null, 2)}\n`;
}

/** Undefined when the stack never wrote one (an older stack: run `npm run stack -- up`). */
export function readLocalLakeDescriptor(stateDir: string): LocalLakeDescriptor | undefined {
  const file = localLakeRuntimePath(stateDir);
  if (!fs.existsSync(file)) return undefined;
  const r = Descriptor.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!r.success) throw new Error(`${file} is not a lake reader description: ${r.error.message}`);
  return r.data;
}

export interface LocalLakeSecrets {
  readonly password: string;
  readonly s3: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function localLake(
  d: LocalLakeDescriptor,
  secrets: LocalLakeSecrets,
): { runtime: LakeToolRuntime; catalog: LakeCatalog } {
  return {
    runtime: { java: d.java, classpath: d.classpath, ...(d.toolSource ? { toolSource: d.toolSource } : {}) },
    catalog: jdbcCatalog({
      name: d.catalog.name,
      uri: d.catalog.uri,
      user: d.catalog.user,
      password: secrets.password,
      warehouse: d.catalog.warehouse,
      region: d.catalog.region,
      s3: { endpoint: d.catalog.s3Endpoint, ...secrets.s3 },
    }),
  };
}
