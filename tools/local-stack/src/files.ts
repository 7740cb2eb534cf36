import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeSecretFile } from './credentials';

export function ensureDir(dir: string, mode = 0o755): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}

/** Writes `content` unless the file already holds it; mode 0600 files are written atomically. */
export function writeIfChanged(file: string, content: string, mode = 0o644): void {
  ensureDir(path.dirname(file));
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  if (mode === 0o600) writeSecretFile(file, content);
  else fs.writeFileSync(file, content, { mode });
}
