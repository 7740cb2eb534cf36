/**
 * The language of topic names the model can produce for a zone, e.g. `cdc.{table}.mnpi` where
 * {table} is any SQL identifier the schema accepts (`[a-z][a-z0-9_]*`). Used to decide whether a
 * prefixed ACL could capture a FUTURE topic of that zone, not only the ones that exist today.
 */

type Token = { kind: 'lit'; ch: string } | { kind: 'ident' };

export interface TopicNamePattern {
  /** Human form, e.g. "cdc.{table}.mnpi". */
  readonly description: string;
  readonly tokens: readonly Token[];
}

const IDENT_FIRST = /^[a-z]$/;
const IDENT_REST = /^[a-z0-9_]$/;

/** Builds the pattern from a naming template such as "cdc.{table}.{zone}" for one zone. */
export function topicNamePattern(template: string, zone: string): TopicNamePattern {
  const description = template.split('{zone}').join(zone);
  const tokens: Token[] = [];
  const parts = description.split('{table}');
  parts.forEach((part, i) => {
    for (const ch of part) tokens.push({ kind: 'lit', ch });
    if (i < parts.length - 1) tokens.push({ kind: 'ident' });
  });
  return { description, tokens };
}

/** NFA state: token index, and whether the identifier at that index has consumed a character. */
type State = `${number}:${0 | 1}`;

function closure(p: TopicNamePattern, states: Set<State>): Set<State> {
  const out = new Set(states);
  for (const s of states) {
    const [i, started] = s.split(':').map(Number);
    if (started === 1) out.add(`${i + 1}:0`);
  }
  return out;
}

function step(p: TopicNamePattern, states: Set<State>, ch: string): Set<State> {
  const next = new Set<State>();
  for (const s of states) {
    const [i, started] = s.split(':').map(Number);
    const tok = p.tokens[i];
    if (!tok) continue;
    if (tok.kind === 'lit') {
      if (started === 0 && tok.ch === ch) next.add(`${i + 1}:0`);
    } else if (started === 0 ? IDENT_FIRST.test(ch) : IDENT_REST.test(ch)) {
      next.add(`${i}:1`);
    }
  }
  return closure(p, next);
}

function run(p: TopicNamePattern, input: string): Set<State> {
  let states = closure(p, new Set<State>(['0:0']));
  for (const ch of input) {
    states = step(p, states, ch);
    if (states.size === 0) break;
  }
  return states;
}

/** True when some name in the pattern's language starts with `prefix`. */
export function prefixCanMatch(p: TopicNamePattern, prefix: string): boolean {
  return run(p, prefix).size > 0;
}

/** True when `name` is in the pattern's language. */
export function nameMatches(p: TopicNamePattern, name: string): boolean {
  return [...run(p, name)].some((s) => s === `${p.tokens.length}:0`);
}

/** A shortest name in the language that starts with `prefix`, for messages; undefined when none. */
export function exampleName(p: TopicNamePattern, prefix: string): string | undefined {
  let best: string | undefined;
  for (const s of run(p, prefix)) {
    let [i, started] = s.split(':').map(Number);
    let suffix = '';
    while (i < p.tokens.length) {
      const tok = p.tokens[i];
      if (tok.kind === 'lit') {
        suffix += tok.ch;
        i++;
      } else if (started === 0) {
        suffix += 'x';
        started = 1;
      } else {
        i++;
        started = 0;
      }
    }
    if (best === undefined || suffix.length < best.length - prefix.length) best = prefix + suffix;
  }
  return best;
}
