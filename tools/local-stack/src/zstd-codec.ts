/**
 * kafkajs ships no ZSTD codec, and the model's CDC topics use compression.type=zstd (the broker
 * recompresses every batch), so a kafkajs consumer cannot read them without one. This codec uses
 * the `zstd` command-line tool (Debian package `zstd`, installed by `up`): fine for local tooling
 * and tests, not meant for production throughput.
 */
import { spawnSync } from 'node:child_process';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

let registered = false;

function runZstd(args: string[], input: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', ...args], { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`zstd codec: ${r.error.message} (install the 'zstd' package)`);
  if (r.status !== 0) throw new Error(`zstd codec: zstd exited ${r.status}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

export function zstdCompress(data: Buffer): Buffer {
  return runZstd([], data);
}

export function zstdDecompress(data: Buffer): Buffer {
  return runZstd(['-d'], data);
}

/** Registers the codec with kafkajs once per process. */
export function registerZstdCodec(): void {
  if (registered) return;
  const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
  codecs[CompressionTypes.ZSTD] = () => ({
    compress: async (encoder: { buffer: Buffer }) => zstdCompress(encoder.buffer),
    decompress: async (buffer: Buffer) => zstdDecompress(buffer),
  });
  registered = true;
}
