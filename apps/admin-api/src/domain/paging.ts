import { ApiProblem } from './problem';

/**
 * Pagination over a caller's already-filtered, sorted list. The token is an opaque position in that
 * list, never a resource name, so it cannot carry or reveal one.
 */
export interface Page<T> {
  readonly items: T[];
  readonly next_page_token?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    /* reported below */
  }
  throw new ApiProblem(400, 'invalid_page_token', 'page_token must be a token returned by a previous page');
}

export function paginate<T>(
  all: readonly T[],
  pageSize: number | undefined,
  token: string | undefined,
): Page<T> {
  const size = Math.min(pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = decodePageToken(token);
  const items = all.slice(offset, offset + size);
  const next = offset + size < all.length ? encodePageToken(offset + size) : undefined;
  return next ? { items, next_page_token: next } : { items };
}
