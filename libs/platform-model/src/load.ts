import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { PlatformModelSchema, type PlatformModel } from './schema';
import { validateModelSemantics, type ModelIssue } from './validate';

/** A located problem: file, line and column (when known), path inside the document, message. */
export interface LocatedIssue extends ModelIssue {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export class PlatformModelError extends Error {
  constructor(readonly issues: readonly LocatedIssue[]) {
    super(
      `The platform model is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join('\n'),
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

export function loadPlatformModel(path: string = process.env.LAKEWALL_MODEL ?? DEFAULT_MODEL_PATH): PlatformModel {
  return parsePlatformModel(readFileSync(path, 'utf8'), path);
}

/** Parses and validates model text; throws PlatformModelError listing every problem found. */
export function parsePlatformModel(text: string, file = '<inline>'): PlatformModel {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PlatformModelError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { file, path: [], message: `YAML syntax: ${e.message.split('\n')[0]}`, line: pos?.line, column: pos?.col };
      }),
    );
  }
  const locate = (issue: ModelIssue): LocatedIssue => ({ ...issue, file, ...position(doc, lineCounter, issue.path) });
  const parsed = PlatformModelSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new PlatformModelError(
      parsed.error.issues.map((i) => locate({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    );
  }
  const semantic = validateModelSemantics(parsed.data);
  if (semantic.length > 0) throw new PlatformModelError(semantic.map(locate));
  return parsed.data;
}

/** Finds the deepest node that exists along the path, so a missing key points at its parent. */
function position(doc: Document, lines: LineCounter, path: readonly (string | number)[]): { line?: number; column?: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return {};
}
