import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AptPackagePin {
  package: string;
  major: number;
  binDir?: string;
  binary?: string;
}

export interface Versions {
  maven: { debezium: string; apicurio: string; log4j: string; s3proxy: string };
  apt: { postgresql: AptPackagePin; prometheus: AptPackagePin; alertmanager: AptPackagePin };
  java: { minMajor: number };
}

export const VERSIONS_FILE = path.join(__dirname, '..', 'versions.json');

export function parseVersions(text: string): Versions {
  const raw = JSON.parse(text) as Partial<Versions>;
  const need = (cond: unknown, what: string): void => {
    if (!cond) throw new Error(`versions.json: missing ${what}`);
  };
  need(raw.maven?.debezium, 'maven.debezium');
  need(raw.maven?.apicurio, 'maven.apicurio');
  need(raw.maven?.log4j, 'maven.log4j');
  need(raw.maven?.s3proxy, 'maven.s3proxy');
  need(raw.apt?.postgresql?.package, 'apt.postgresql.package');
  need(raw.apt?.prometheus?.package, 'apt.prometheus.package');
  need(raw.apt?.alertmanager?.package, 'apt.alertmanager.package');
  need(raw.java?.minMajor, 'java.minMajor');
  return raw as Versions;
}

export function loadVersions(file: string = VERSIONS_FILE): Versions {
  return parseVersions(fs.readFileSync(file, 'utf8'));
}

/** Parses `java -version` output (stderr) into the major version: "17.0.15" -> 17, "1.8.0_392" -> 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

/** Parses the first line of `postgres --version`: "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" -> 15. */
export function parsePostgresMajor(versionOutput: string): number | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionOutput);
  return m ? Number(m[1]) : undefined;
}

/** Parses a Maven checksum file (.sha1/.sha256/.sha512): the hex digest is the first token. */
export function parseChecksumFile(text: string): string {
  const token = text.trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-fA-F]{32,128}$/.test(token))
    throw new Error(`not a checksum: ${JSON.stringify(text.slice(0, 80))}`);
  return token.toLowerCase();
}
