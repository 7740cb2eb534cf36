import { createHash } from 'node:crypto';
import { ApiProblem } from './problem';

export interface StoredResult {
  readonly status: number;
  readonly body: unknown;
}

interface Entry {
  readonly fingerprint: string;
  readonly expiresAt: number;
  result?: StoredResult;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Results of mutating requests by (caller, Idempotency-Key): a retry with the same key and the
 * same request gets the first result back and acts no second time. In memory, per process: one
 * ECS task serves the API (a second task would need a shared store).
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 24 * 3600_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  static fingerprint(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  /** The stored result for a retry, undefined for a first attempt (which is then marked in flight). */
  begin(scope: string, key: string, fingerprint: string): StoredResult | undefined {
    if (!IDEMPOTENCY_KEY_PATTERN.test(key))
      throw new ApiProblem(400, 'validation_failed', 'Idempotency-Key must be 1-128 letters, digits or _.:-');
    this.evictExpired();
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (entry) {
      if (entry.fingerprint !== fingerprint) throw new ApiProblem(422, 'idempotency_key_reused');
      if (!entry.result) throw new ApiProblem(409, 'idempotency_in_progress');
      return entry.result;
    }
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, { fingerprint, expiresAt: this.now() + this.ttlMs });
    return undefined;
  }

  finish(scope: string, key: string, result: StoredResult): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.result = result;
  }

  /** A failed attempt leaves no trace: the retry may act. */
  abandon(scope: string, key: string): void {
    this.entries.delete(`${scope}\u0000${key}`);
  }

  private evictExpired(): void {
    const t = this.now();
    for (const [id, e] of this.entries) if (e.expiresAt <= t) this.entries.delete(id);
  }
}
