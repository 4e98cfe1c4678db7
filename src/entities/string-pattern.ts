/**
 * Whether a string matches a pattern: `new RegExp(source).test(text)`, for the patterns
 * `stringPatternMatcher` takes.
 */
export type StringMatcher = (text: string) => boolean;

/** One step of a pattern: `min` to `max` UTF-16 units of `set` (128 flags, one per ASCII unit). */
interface Step {
  readonly set: Uint8Array;
  readonly min: number;
  readonly max: number;
}

const SYNTAX = "\\^$.|?*+()[]{}/-";
const DIGITS = setOf([[48, 57]]);

/**
 * A matcher of the pattern (the source of a regular expression without flags) that is `^`,
 * then ASCII literals and classes (`[0-9A-Z-]`, `[^...]`, `\d`) of fixed counts, then one last
 * literal or class with any quantifier (`?`, `*`, `+`, `{m}`, `{m,}`, `{m,n}`), then `$`: the
 * shape of every code and id pattern of the entities (`^T[0-9A-Z-]{4,40}$`, `^C\d{7}$`). It
 * gives `RegExp.test`'s verdict on every string by one scan of its units (a unit beyond ASCII
 * is in no set, as in a pattern without the `u` flag), at about half the RegExp's cost: the
 * columnar check runs it on every id of a run. Anything else (groups, alternation, `.`, `\w`,
 * lazy quantifiers, a character beyond ASCII, two variable steps) gives undefined: the caller
 * then asks the RegExp.
 */
export function stringPatternMatcher(source: string): StringMatcher | undefined {
  const steps = stepsOf(source);
  const last = steps?.at(-1);
  if (!steps || !last || steps.slice(0, -1).some((step) => step.min !== step.max)) return undefined;
  // The sets of the fixed part's positions, 128 flags each, in one array: `^T-\d{2}` is T, -,
  // digit, digit; the last step takes what is left.
  const sets = steps.slice(0, -1).flatMap((step) => Array<Uint8Array>(step.min).fill(step.set));
  const width = sets.length;
  const fixed = new Uint8Array(128 * width);
  for (const [k, set] of sets.entries()) fixed.set(set, 128 * k);
  const { set, min, max } = last;
  return (text) => {
    const length = text.length;
    const rest = length - width;
    if (rest < min || rest > max) return false;
    for (let k = 0; k < width; k++) {
      const unit = text.charCodeAt(k);
      if (unit >= 128 || fixed[(k << 7) | unit] !== 1) return false;
    }
    for (let k = width; k < length; k++) {
      const unit = text.charCodeAt(k);
      if (unit >= 128 || set[unit] !== 1) return false;
    }
    return true;
  };
}

function stepsOf(source: string): Step[] | undefined {
  const last = source.length - 1;
  if (source[0] !== "^" || source[last] !== "$") return undefined;
  const steps: Step[] = [];
  let i = 1;
  while (i < last) {
    const atom = atomAt(source, i, last);
    if (!atom) return undefined;
    i = atom.next;
    const quantifier = quantifierAt(source, i, last);
    if (!quantifier) return undefined;
    i = quantifier.next;
    steps.push({ set: atom.set, min: quantifier.min, max: quantifier.max });
  }
  // `$` at `last` must be the anchor, not an escaped dollar ending a literal.
  return i === last ? steps : undefined;
}

function atomAt(s: string, i: number, last: number): { set: Uint8Array; next: number } | undefined {
  const c = s[i] as string;
  if (c === "[") return classAt(s, i + 1, last);
  if (c === "\\") {
    const e = s[i + 1];
    if (e === "d") return { set: DIGITS, next: i + 2 };
    if (e !== undefined && i + 1 < last && SYNTAX.includes(e))
      return { set: setOf([[e.charCodeAt(0), e.charCodeAt(0)]]), next: i + 2 };
    return undefined;
  }
  if ("^$.|?*+()[]{}".includes(c) || c.charCodeAt(0) >= 128) return undefined;
  return { set: setOf([[c.charCodeAt(0), c.charCodeAt(0)]]), next: i + 1 };
}

/** A class from just after its `[` to its `]`. */
function classAt(
  s: string,
  i: number,
  last: number,
): { set: Uint8Array; next: number } | undefined {
  const negated = s[i] === "^";
  if (negated) i++;
  // `[]` and `[^]` mean nothing and anything in JavaScript; a negated class also takes units
  // beyond ASCII, which the sets do not hold: both are left to the RegExp.
  if (negated || s[i] === "]") return undefined;
  const ranges: [number, number][] = [];
  while (i < last && s[i] !== "]") {
    const lo = classCharAt(s, i);
    if (!lo) return undefined;
    i = lo.next;
    if (lo.code < 0) {
      ranges.push([48, 57]);
      continue;
    }
    if (s[i] === "-" && s[i + 1] !== "]") {
      const hi = classCharAt(s, i + 1);
      if (!hi || hi.code < lo.code) return undefined;
      i = hi.next;
      ranges.push([lo.code, hi.code]);
    } else ranges.push([lo.code, lo.code]);
  }
  if (s[i] !== "]") return undefined;
  return { set: setOf(ranges), next: i + 1 };
}

/** A character of a class: its code, -1 for `\d`; undefined for what is not handled. */
function classCharAt(s: string, i: number): { code: number; next: number } | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  if (c === "\\") {
    const e = s[i + 1];
    if (e === "d") return { code: -1, next: i + 2 };
    if (e !== undefined && SYNTAX.includes(e)) return { code: e.charCodeAt(0), next: i + 2 };
    return undefined;
  }
  // "[" inside a class is a literal in JavaScript, but a stray one reads like a mistake.
  const code = c.charCodeAt(0);
  return code >= 128 || c === "[" ? undefined : { code, next: i + 1 };
}

function quantifierAt(
  s: string,
  i: number,
  last: number,
): { min: number; max: number; next: number } | undefined {
  const c = s[i];
  let q: { min: number; max: number; next: number };
  if (i >= last) return { min: 1, max: 1, next: i };
  if (c === "?") q = { min: 0, max: 1, next: i + 1 };
  else if (c === "*") q = { min: 0, max: Infinity, next: i + 1 };
  else if (c === "+") q = { min: 1, max: Infinity, next: i + 1 };
  else if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i, last));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    if (max < min) return undefined;
    q = { min, max, next: i + m[0].length };
  } else return { min: 1, max: 1, next: i };
  // A lazy or doubled quantifier: left to the RegExp.
  return "?*+{".includes(s[q.next] ?? "") && q.next < last ? undefined : q;
}

function setOf(ranges: readonly [number, number][]): Uint8Array {
  const set = new Uint8Array(128);
  for (const [lo, hi] of ranges) for (let b = lo; b <= hi; b++) set[b] = 1;
  return set;
}
