/**
 * Whether ASCII `bytes[start..end)` spell a text the pattern matches: `new RegExp(source).test`
 * of that text, without making it. Only for ASCII bytes (a byte is then a UTF-16 unit).
 */
export type AsciiMatcher = (bytes: Uint8Array, start: number, end: number) => boolean;

/** One step of a pattern: `min` to `max` bytes of `set` (128 flags, one per ASCII code). */
interface Step {
  readonly set: Uint8Array;
  readonly min: number;
  readonly max: number;
}

const SYNTAX = "\\^$.|?*+()[]{}/-";
const DIGITS = setOf([[48, 57]]);

/**
 * The matcher of a pattern (the source text of a regular expression without flags) that is
 * `^`, then literal characters, classes (`[a-z-]`, `[^...]`, `\d`) each with an optional
 * quantifier (`?`, `*`, `+`, `{m}`, `{m,}`, `{m,n}`), then `$`: the shape of an id's pattern
 * (`^T[0-9A-Z-]{4,40}$`). Anything else (groups, alternation, `.`, `\w`, lazy quantifiers, a
 * character beyond ASCII) gives undefined: the caller then asks the RegExp.
 */
export function asciiMatcherOf(source: string): AsciiMatcher | undefined {
  const steps = stepsOf(source);
  if (!steps) return undefined;
  const lastStep = steps.at(-1);
  if (lastStep && steps.slice(0, -1).every((step) => step.min === step.max))
    return fixedThenLast(steps.slice(0, -1), lastStep);
  return (bytes, start, end) => matches(steps, bytes, start, end);
}

/**
 * Steps of fixed counts then any last one (every id pattern): one way through, so a scan of
 * the bytes against each step's set in turn, and the last step takes what is left.
 */
function fixedThenLast(fixed: readonly Step[], last: Step): AsciiMatcher {
  // The sets of the fixed part's byte positions, 128 flags each, in one array: `^T-\d{2}` is
  // T, -, digit, digit.
  const sets = fixed.flatMap((step) => Array<Uint8Array>(step.min).fill(step.set));
  const width = sets.length;
  const flat = new Uint8Array(128 * width);
  for (const [k, set] of sets.entries()) flat.set(set, 128 * k);
  const { set, min, max } = last;
  return (bytes, start, end) => {
    const rest = end - start - width;
    if (rest < min || rest > max) return false;
    for (let k = 0; k < width; k++)
      if (flat[(k << 7) | (bytes[start + k] as number)] !== 1) return false;
    for (let b = start + width; b < end; b++) if (set[bytes[b] as number] !== 1) return false;
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
  // `[]` and `[^]` mean nothing and anything in JavaScript: not worth a case.
  if (s[i] === "]") return undefined;
  const ranges: [number, number][] = [];
  let digits = false;
  while (i < last && s[i] !== "]") {
    const lo = classCharAt(s, i);
    if (!lo) return undefined;
    i = lo.next;
    if (lo.code < 0) {
      digits = true;
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
  if (digits) ranges.push([48, 57]);
  const set = setOf(ranges);
  if (negated) for (let b = 0; b < 128; b++) set[b] = set[b] ? 0 : 1;
  return { set, next: i + 1 };
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

// Positions of the text the steps so far can end at: two scratch lists reused by every call.
let reach = new Int32Array(65);
let next = new Int32Array(65);
let mark = new Uint8Array(65);

/** Whether the steps, in order, can consume the whole text (every way tried, no backtracking). */
function matches(steps: readonly Step[], bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  // Positions 0..length.
  if (mark.length <= length) {
    reach = new Int32Array(2 * length + 2);
    next = new Int32Array(2 * length + 2);
    mark = new Uint8Array(2 * length + 2);
  }
  let count = 1;
  reach[0] = 0;
  for (const { set, min, max } of steps) {
    let found = 0;
    for (let r = 0; r < count; r++) {
      const p = reach[r] as number;
      let k = 0;
      while (k < max && p + k < length && set[bytes[start + p + k] as number] === 1) k++;
      for (let j = min; j <= k; j++) {
        if (mark[p + j] === 1) continue;
        mark[p + j] = 1;
        next[found++] = p + j;
      }
    }
    for (let f = 0; f < found; f++) mark[next[f] as number] = 0;
    if (found === 0) return false;
    const swap = reach;
    reach = next;
    next = swap;
    count = found;
  }
  for (let r = 0; r < count; r++) if (reach[r] === length) return true;
  return false;
}
