/** S3Proxy: the local S3-compatible server, filesystem-backed, holding one bucket per zone and layer. */
import * as path from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { deriveLakeBuckets, lakeBucketName } from '@lakewall/platform-model';
import { renderProperties, s3proxyProperties } from '../config-gen';
import { LOCAL_ENV, type StackContext, type UpContext } from '../context';
import type { Credentials } from '../credentials';
import { ensureDir, writeAllIfChanged } from '../files';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST, type Ports } from '../ports';
import { spawnDaemon } from '../proc';
import { javaEnv, type ComponentSpec } from './component';

const endpoint = (p: Ports): string => `http://${HOST}:${p.s3}`;

/** An S3 client for the local server (path-style; checksums only where S3Proxy expects them). */
export function s3ClientFor(ctx: StackContext, creds: Credentials): S3Client {
  if (!creds.s3)
    throw new Error("the local stack's credentials have no S3 credentials: run 'npm run stack -- up'");
  return new S3Client({
    endpoint: endpoint(ctx.ports),
    region: ctx.model.environments[LOCAL_ENV].region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: creds.s3.accessKeyId, secretAccessKey: creds.s3.secretAccessKey },
    maxAttempts: 1,
  });
}

/** The local lake's buckets, named from the model exactly as the cloud environments name theirs. */
export function localLakeBuckets(ctx: StackContext): { zone: string; layer: string; name: string }[] {
  return deriveLakeBuckets(ctx.model).map((b) => ({
    zone: b.zone,
    layer: b.layer,
    name: lakeBucketName(ctx.model, LOCAL_ENV, b),
  }));
}

/** Creates the buckets that are missing; existing ones (and their objects) are left alone. */
export async function ensureLakeBuckets(ctx: UpContext): Promise<string[]> {
  const s3 = s3ClientFor(ctx, ctx.creds);
  try {
    const existing = new Set(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name));
    const created: string[] = [];
    for (const { name } of localLakeBuckets(ctx)) {
      if (existing.has(name)) continue;
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      created.push(name);
    }
    return created;
  } finally {
    s3.destroy();
  }
}

function files(ctx: StackContext): { props: string; data: string } {
  const dir = componentDir(ctx.state, 's3');
  return { props: path.join(dir, 's3proxy.properties'), data: path.join(dir, 'data') };
}

function configureS3(ctx: UpContext): boolean {
  const { props, data } = files(ctx);
  if (!ctx.creds.s3) throw new Error("the local stack's credentials have no S3 credentials");
  return writeAllIfChanged([
    {
      file: props,
      content: renderProperties(
        s3proxyProperties({
          ports: ctx.ports,
          identity: ctx.creds.s3.accessKeyId,
          credential: ctx.creds.s3.secretAccessKey,
          baseDir: data,
        }),
      ),
      mode: 0o600,
    },
  ]);
}

function startS3(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 's3');
  ensureDir(dir);
  configureS3(ctx);
  const { props, data } = files(ctx);
  ensureDir(data, 0o700);
  return spawnDaemon({
    cmd: ctx.art.java,
    args: [
      '-Xms32m',
      '-Xmx128m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      '-jar',
      ctx.art.s3proxyJar,
      '--properties',
      props,
    ],
    cwd: dir,
    logFile: logFile(ctx.state, 's3'),
    pidFile: pidFile(ctx.state, 's3'),
    marker: props,
    env: javaEnv(),
  });
}

async function s3Health(ctx: StackContext, creds: Credentials | undefined): Promise<string | undefined> {
  if (!creds?.s3) return 'no credentials yet';
  const s3 = s3ClientFor(ctx, creds);
  try {
    await s3.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(3000) });
    return undefined;
  } catch (e) {
    return `s3: ${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    s3.destroy();
  }
}

export const s3: ComponentSpec = {
  endpoint,
  ports: (p) => [p.s3],
  readyTimeoutMs: 90_000,
  health: s3Health,
  configure: configureS3,
  start: startS3,
  stop: { timeoutMs: 15_000 },
};
