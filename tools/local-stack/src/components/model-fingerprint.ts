/**
 * The services that classify by the platform model (the monitor, the admin API) read it once at
 * start. Recording its fingerprint with their configuration makes `up` restart them when the model
 * changes, before anything the new model declares (a topic, a table) can reach them unknown: the
 * monitor would otherwise treat a newly declared topic as undeclared and contain the public sink.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackContext } from '../context';
import { writeIfChanged } from '../files';
import { componentDir } from '../paths';

export function modelFingerprint(ctx: StackContext): string {
  return createHash('sha256').update(JSON.stringify(ctx.model)).digest('hex');
}

/** Writes the component's model fingerprint; true when the model changed since it was written. */
export function recordModelFingerprint(ctx: StackContext, component: string): boolean {
  return writeIfChanged(
    path.join(componentDir(ctx.state, component), 'model.sha256'),
    `${modelFingerprint(ctx)}\n`,
  );
}

/** True when the component recorded a fingerprint of another model than the current one. */
export function modelFingerprintChanged(ctx: StackContext, component: string): boolean {
  const file = path.join(componentDir(ctx.state, component), 'model.sha256');
  return fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() !== modelFingerprint(ctx);
}
