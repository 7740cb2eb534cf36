import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { DEFAULT_MODEL_PATH } from '../src';

export const modelText = (): string => readFileSync(DEFAULT_MODEL_PATH, 'utf8');

/** The repository's model with one edit applied, as YAML text (keeps the file's layout). */
export function editedModel(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(modelText());
  edit(doc);
  return doc.toString();
}
