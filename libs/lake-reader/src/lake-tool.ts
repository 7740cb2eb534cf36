/**
 * Runs the lake's Iceberg client (java/LakeTool.java) with the Iceberg sink plugin's own jars on the
 * classpath, so tables are declared and read by the same Iceberg code that writes them. The input
 * (which holds the catalog's secrets) goes on stdin, never in arguments; the answer is JSON on stdout.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** An Iceberg catalog as `CatalogUtil.buildIcebergCatalog` takes it: its name and properties. */
export interface LakeCatalog {
  readonly name: string;
  readonly props: Readonly<Record<string, string>>;
}

/** Where the JVM and the jars are. */
export interface LakeToolRuntime {
  /** A Java 17+ binary (single-file source launch). */
  readonly java: string;
  /** Directories whose jars make the classpath: the sink plugin's `lib` and the reader's extras. */
  readonly classpath: readonly string[];
  /** LakeTool.java's path; @default LAKE_TOOL_SOURCE (beside this library: not inside a bundle). */
  readonly toolSource?: string;
}

export type LakeCommand = 'declare' | 'ls' | 'scan' | 'snapshots';

export const LAKE_TOOL_SOURCE = path.join(__dirname, '..', 'java', 'LakeTool.java');

/** Catalog properties whose values never appear in an error. */
const SECRET_PROP = /password|secret|access-key|token|credential/i;

export function redactCatalogSecrets(text: string, catalog: LakeCatalog): string {
  let out = text;
  for (const [k, v] of Object.entries(catalog.props))
    if (SECRET_PROP.test(k) && v.length > 0) out = out.split(v).join('***');
  return out;
}

export interface RunOptions {
  /** @default 120000 */
  readonly timeoutMs?: number;
}

export function runLakeTool<T>(
  runtime: LakeToolRuntime,
  catalog: LakeCatalog,
  command: LakeCommand,
  input: Record<string, unknown>,
  opts: RunOptions = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(
      runtime.java,
      [
        // A short-lived client: a small heap, one GC thread and the quick JIT tier start fastest.
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-cp',
        runtime.classpath.map((d) => `${d}/*`).join(path.delimiter),
        runtime.toolSource ?? LAKE_TOOL_SOURCE,
        command,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 120_000 },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new Error(`lake ${command}: cannot run ${runtime.java}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const tail = redactCatalogSecrets(Buffer.concat(err).toString('utf8'), catalog)
          .split('\n')
          .filter((l) => !/SLF4J/.test(l))
          .slice(0, 20)
          .join('\n');
        reject(new Error(`lake ${command} failed (exit ${code ?? signal}):\n${tail}`));
        return;
      }
      const last = Buffer.concat(out).toString('utf8').trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch (e) {
        reject(new Error(`lake ${command}: unreadable answer (${(e as Error).message})`));
      }
    });
    child.stdin.on('error', () => undefined); // the close handler reports a JVM that died early
    child.stdin.end(JSON.stringify({ catalog, ...input }));
  });
}
