import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { PlatformModelSchema, type PlatformModel } from './schema';
import { nearest, validateModelSemantics, type ModelIssue } from './validate';

/** A located problem: file, line and column (when known), path inside the document, message. */
export interface LocatedIssue extends ModelIssue {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** At most this many problems are spelled out; a garbage file must not print megabytes. */
export const MAX_PRINTED_ISSUES = 50;

export class PlatformModelError extends Error {
  constructor(readonly issues: readonly LocatedIssue[]) {
    const shown = issues.slice(0, MAX_PRINTED_ISSUES);
    const more = issues.length - shown.length;
    super(
      `The platform model is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        shown.map((i) => `  ${formatIssue(i)}`).join('\n') +
        (more > 0 ? `\n  ... and ${more} more problem${more === 1 ? '' : 's'}` : ''),
    );
    this.name = 'PlatformModelError';
  }
}

export function formatIssue(issue: LocatedIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const path = issue.path.length ? formatPath(issue.path) : '(document)';
  return `${where} ${path}: ${issue.message}`;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The repository's model file, found from this library's location so it works from any cwd. */
export const DEFAULT_MODEL_PATH = resolve(__dirname, '../../../platform/platform.yaml');

export function loadPlatformModel(
  path: string = process.env.LAKEWALL_MODEL ?? DEFAULT_MODEL_PATH,
): PlatformModel {
  return parsePlatformModel(readFileSync(path, 'utf8'), path);
}

/** Parses and validates model text; throws PlatformModelError listing every problem found. */
export function parsePlatformModel(text: string, file = '<inline>'): PlatformModel {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PlatformModelError(
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { file, path: [], message: `YAML syntax: ${e.message.split('\n')[0]}`, line, column: col };
      }),
    );
  }
  const locate = (issue: ModelIssue): LocatedIssue => ({
    ...issue,
    file,
    ...position(doc, lineCounter, issue.path),
  });
  const parsed = PlatformModelSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new PlatformModelError(
      parsed.error.issues.flatMap((i) => {
        const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        if (i.code !== 'unrecognized_keys') return [locate({ path, message: i.message })];
        // One problem per unknown key, located at the key itself, with the nearest known key.
        const known = knownKeysAt(path);
        return i.keys.map((key) => {
          const near = nearest(key, known);
          return locate({
            path: [...path, key],
            message: `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : known.length ? ` (known: ${known.join(', ')})` : ''}`,
          });
        });
      }),
    );
  }
  const semantic = validateModelSemantics(parsed.data);
  if (semantic.length > 0) throw new PlatformModelError(semantic.map(locate));
  return parsed.data;
}

/**
 * Locates the deepest part of the path that exists: the key of a map entry (so a missing key
 * points at the line of its parent's key) or the item of a sequence.
 */
function position(
  doc: Document,
  lines: LineCounter,
  path: readonly (string | number)[],
): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step] !== undefined) {
      node = node.items[step];
      if (isNode(node) && node.range) offset = node.range[0];
    } else break;
  }
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  valueType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  innerType?: { _zod: { def: SchemaDef } };
}

/** The keys the schema accepts for the object at `path` (for "did you mean" suggestions). */
function knownKeysAt(path: readonly (string | number)[]): string[] {
  let def: SchemaDef | undefined = (PlatformModelSchema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  const unwrap = () => {
    while (def && def.innerType) def = def.innerType._zod.def;
  };
  unwrap();
  for (const step of path) {
    if (!def) return [];
    if (def.type === 'object' && def.shape && typeof step === 'string') def = def.shape[step]?._zod.def;
    else if (def.type === 'record' && def.valueType) def = def.valueType._zod.def;
    else if (def.type === 'array' && def.element) def = def.element._zod.def;
    else return [];
    unwrap();
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
