/** Turns kafkajs errors (often nested retries of retries) into one line a human can act on. */

interface ErrorLike {
  name?: string;
  message?: string;
  type?: string;
  code?: string;
  broker?: string;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown[];
  topic?: string;
}

/** The innermost error of a kafkajs retry chain. */
export function rootCause(err: unknown): ErrorLike {
  let e = (err ?? {}) as ErrorLike;
  for (let depth = 0; depth < 10; depth++) {
    const inner = (e.originalError ?? e.cause) as ErrorLike | undefined;
    if (!inner || typeof inner !== 'object') break;
    e = inner;
  }
  return e;
}

function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e = err as ErrorLike | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 10; depth++) {
    out.push(e);
    e = (e.originalError ?? e.cause) as ErrorLike | undefined;
  }
  return out;
}

export class KafkaAccessError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'authentication' | 'authorization' | 'timeout' | 'kafka',
  ) {
    super(message);
    this.name = 'KafkaAccessError';
  }
}

export function describeKafkaError(
  err: unknown,
  brokers: readonly string[],
  username?: string,
): KafkaAccessError {
  if (err instanceof KafkaAccessError) return err;
  const links = chain(err);
  const where = brokers.join(',') || '(no brokers)';
  const has = (pred: (e: ErrorLike) => boolean) => links.find(pred);

  const sasl = has(
    (e) =>
      e.name === 'KafkaJSSASLAuthenticationError' || /SASL .*authentication failed/i.test(e.message ?? ''),
  );
  if (sasl) {
    return new KafkaAccessError(
      `Kafka at ${where} refused the credentials${username ? ` of user '${username}'` : ''} (SASL authentication failed). ` +
        `Check the username/password or the secret they come from.`,
      'authentication',
    );
  }
  const authz = has((e) => /AUTHORIZATION_FAILED/.test(e.type ?? ''));
  if (authz) {
    return new KafkaAccessError(
      `Kafka at ${where} denied the request${username ? ` for user '${username}'` : ''}: ${authz.type} (${authz.message}). ` +
        `The principal needs the bootstrapper's ACLs (or super-user rights).`,
      'authorization',
    );
  }
  const net = has(
    (e) =>
      ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'].includes(
        e.code ?? '',
      ) ||
      e.name === 'KafkaJSConnectionError' ||
      e.name === 'KafkaJSConnectionClosedError',
  );
  if (net) {
    const detail = rootCause(err).message ?? net.message ?? 'connection failed';
    return new KafkaAccessError(
      `Cannot reach Kafka at ${where}: ${detail}. Is the broker running and the address right?`,
      'unreachable',
    );
  }
  const timeout = has((e) => e.name === 'KafkaJSRequestTimeoutError' || /timed? ?out/i.test(e.message ?? ''));
  if (timeout)
    return new KafkaAccessError(`Kafka at ${where} did not answer in time: ${timeout.message}`, 'timeout');
  const root = rootCause(err);
  const agg = (err as ErrorLike).errors;
  const detail =
    Array.isArray(agg) && agg.length
      ? agg
          .map(
            (e) =>
              `${(e as ErrorLike).topic ? `${(e as ErrorLike).topic}: ` : ''}${(e as ErrorLike).message}`,
          )
          .join('; ')
      : `${root.type ? `${root.type}: ` : ''}${root.message ?? String(err)}`;
  return new KafkaAccessError(`Kafka request failed at ${where}: ${detail}`, 'kafka');
}
