import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { registerZstdCodec, zstdCodec, zstdDecompress, ZstdCompressionUnsupportedError } from './zstd';

/**
 * Real zstd frames, made once with the reference CLI (zstd 1.5.4):
 *   printf 'lakewall zstd fixture\n' > f && zstd -q f -o f.zst     (frame declares its content size)
 *   <40 JSON change-event lines> | zstd -q -c -19                   (streamed: no content size)
 */
const SMALL_FRAME = 'KLUv/SQWsQAAbGFrZXdhbGwgenN0ZCBmaXh0dXJlCrcYDsA=';
const STREAMED_FRAME =
  'KLUv/QRoLQgA0o4qHVBvc6OK3czelPTuMnp4sQCqREREiJQ1ujCqaqRgb986t23bMrZr1yq1u6v6/ebmPn3qnDZtypguXaqUrq7q9Zqa+v7u3NvbGfv6ulLf71X//5nP' +
  '58vnXMvG2Mql1OaqOgLDm6bg+IDLxYZDkzB0nDgixYwJDsLQFcgRJWkCmXEGMm/oytSYHM8kYsYKxMDQMWpIzGTmoaPGIkaPNNkCLcWJ8ZgxZGjIw5ZSqBGA6Qv7H2vwdQ4S' +
  'mMEgeAbBj+EWzBBEhEbwB4auKi01GvRf26To2lQ1aSjT0vfaBnXXUqtJQ5mWHk26Id0ty+LmNhfb3mkr3Jl9PuaFv61p8Z3UAGCrcb+oeg==';

/** The input of STREAMED_FRAME. */
function changeEvents(): string {
  const rows: string[] = [];
  for (let i = 0; i < 40; i++) {
    const after = {
      trade_id: 1000 + i,
      side: i % 2 ? 'SELL' : 'BUY',
      quantity: (100 + i).toFixed(8),
      currency: 'USD',
      venue: ['XLON', 'XNAS'][i % 2],
    };
    rows.push(JSON.stringify({ op: 'c', after }));
  }
  return rows.join('\n') + '\n';
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

describe('zstdDecompress', () => {
  it('decompresses a frame with a declared content size', () => {
    expect(zstdDecompress(b64(SMALL_FRAME)).toString('utf8')).toBe('lakewall zstd fixture\n');
  });
  it('decompresses a streamed frame without a content size', () => {
    const out = zstdDecompress(b64(STREAMED_FRAME));
    expect(out.length).toBe(4340);
    expect(out.toString('utf8')).toBe(changeEvents());
  });
  it('decompresses concatenated frames', () => {
    const out = zstdDecompress(Buffer.concat([b64(SMALL_FRAME), b64(SMALL_FRAME)]));
    expect(out.toString('utf8')).toBe('lakewall zstd fixture\n'.repeat(2));
  });
  it('rejects bytes that are not zstd', () => {
    expect(() => zstdDecompress(Buffer.from('not zstd at all'))).toThrow(/zstd: cannot decompress 15 bytes/);
  });
});

describe('registerZstdCodec', () => {
  it('installs the codec kafkajs looks up for ZSTD batches', async () => {
    registerZstdCodec();
    registerZstdCodec(); // idempotent
    const codec = (CompressionCodecs as unknown as Record<number, () => typeof zstdCodec>)[
      CompressionTypes.ZSTD
    ]();
    expect(codec).toBe(zstdCodec);
    expect((await codec.decompress(b64(SMALL_FRAME))).toString('utf8')).toBe('lakewall zstd fixture\n');
  });
  it('refuses to compress, naming what producers should use instead', async () => {
    await expect(zstdCodec.compress({ buffer: Buffer.from('x') })).rejects.toBeInstanceOf(
      ZstdCompressionUnsupportedError,
    );
    await expect(zstdCodec.compress({ buffer: Buffer.from('x') })).rejects.toThrow(
      /GZIP or CompressionTypes.None/,
    );
  });
});
