/**
 * ZSTD for kafkajs. The model's CDC topics use compression.type=zstd (the broker recompresses every
 * batch), and kafkajs ships no ZSTD codec, so a kafkajs consumer cannot read them without one.
 *
 * Decompression is pure JavaScript (fzstd): no native module, no external program. Compression is
 * not offered: only our own test producers would ask for it, and they should send gzip or no
 * compression (both native to kafkajs); the broker recompresses to zstd either way.
 */
import { decompress } from 'fzstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

export class ZstdCompressionUnsupportedError extends Error {
  constructor() {
    super(
      'ZSTD compression is not supported by this kafkajs client: produce with CompressionTypes.GZIP or CompressionTypes.None ' +
        '(the topic compression.type=zstd makes the broker store batches as zstd anyway); ZSTD is supported for reading only',
    );
    this.name = 'ZstdCompressionUnsupportedError';
  }
}

/** Decompresses one or more concatenated zstd frames (with or without a declared content size). */
export function zstdDecompress(data: Uint8Array): Buffer {
  let out: Uint8Array;
  try {
    out = decompress(data);
  } catch (e) {
    throw new Error(`zstd: cannot decompress ${data.length} bytes: ${(e as Error).message}`);
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export const zstdCodec: KafkaCodec = {
  compress: async () => {
    throw new ZstdCompressionUnsupportedError();
  },
  decompress: async (buffer) => zstdDecompress(buffer),
};

/**
 * Installs the ZSTD codec into kafkajs (process-wide, idempotent). Every function of this library
 * that builds a kafkajs config calls it, so a client built from one can read zstd topics.
 */
export function registerZstdCodec(): void {
  const codecs = CompressionCodecs as unknown as Record<number, () => KafkaCodec>;
  codecs[CompressionTypes.ZSTD] = () => zstdCodec;
}
