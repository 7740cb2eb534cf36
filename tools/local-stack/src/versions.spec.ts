import * as fs from 'node:fs';
import {
  loadVersions,
  parseChecksumFile,
  parseJavaMajor,
  parsePostgresMajor,
  parseVersions,
  VERSIONS_FILE,
} from './versions';

describe('versions.json', () => {
  it('is valid and does not pin Kafka (the platform model owns that)', () => {
    const v = loadVersions();
    expect(v.maven.debezium).toMatch(/^\d+\.\d+\.\d+\.Final$/);
    expect(v.maven.apicurio).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.apt.postgresql.major).toBe(15);
    expect(fs.readFileSync(VERSIONS_FILE, 'utf8')).not.toMatch(/"kafka"\s*:/);
  });

  it('names what is missing', () => {
    expect(() => parseVersions('{"maven":{}}')).toThrow('versions.json: missing maven.debezium');
  });
});

describe('version parsing', () => {
  it('reads the Java major version', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('nonsense')).toBeUndefined();
  });

  it('reads the PostgreSQL major version', () => {
    expect(parsePostgresMajor('postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)')).toBe(15);
    expect(parsePostgresMajor('')).toBeUndefined();
  });

  it('parses Maven checksum files', () => {
    expect(parseChecksumFile('DA39A3EE5E6B4B0D3255BFEF95601890AFD80709  foo.jar\n')).toBe(
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    );
    expect(() => parseChecksumFile('<html>404</html>')).toThrow('not a checksum');
  });
});
