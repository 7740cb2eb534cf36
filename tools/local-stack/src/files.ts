import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeSecretFile } from './credentials';

export function ensureDir(dir: string, mode = 0o755): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}

/**
 * Writes `content` unless the file already holds it; mode 0600 files are written atomically.
 * Returns whether the file changed, so a running component can be restarted on new configuration.
 */
export function writeIfChanged(file: string, content: string, mode = 0o644): boolean {
  ensureDir(path.dirname(file));
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return false;
  if (mode === 0o600) writeSecretFile(file, content);
  else fs.writeFileSync(file, content, { mode });
  return true;
}

/** Writes every file (none is skipped once one has changed) and says whether any changed. */
export function writeAllIfChanged(
  files: readonly { file: string; content: string; mode?: number }[],
): boolean {
  return files.map((f) => writeIfChanged(f.file, f.content, f.mode)).some(Boolean);
}
