import type { Column } from "../entities/index.js";
import { fromUnits, toUnits } from "../entities/index.js";
import { readDate, readTimestamp, writeDate, writeTimestamp } from "./date-text.js";
import type { Parser, Transform } from "./layout-schema.js";
import { readNumber, rescale, writeNumber } from "./number-text.js";

/** A column value read from text, or why it could not be. */
export type ReadValue =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly detail: string };

const INT_TEXT = /^([+-]?\d+)[.,]0+$/;

/** Applies transforms in order, on read. */
export function applyTransforms(text: string, transforms: readonly Transform[]): string {
  let t = text;
  for (const tr of transforms) {
    if (tr === "trim") t = t.trim();
    else if (tr === "upper") t = t.toUpperCase();
    else if (tr === "lower") t = t.toLowerCase();
    else if (tr === "integer-text") t = t.replace(INT_TEXT, "$1");
    else if ("prefix" in tr) t = t === "" ? t : tr.prefix + t;
    else if ("stripPrefix" in tr)
      t = t.startsWith(tr.stripPrefix) ? t.slice(tr.stripPrefix.length) : t;
    else if ("padStart" in tr) t = t === "" ? t : t.padStart(tr.padStart, tr.with);
    else if ("extract" in tr) {
      const m = new RegExp(tr.extract).exec(t);
      t = m ? (m[1] ?? m[0]) : "";
    } else t = t.replace(new RegExp(tr.replace, "g"), tr.with);
  }
  return t;
}

/**
 * Undoes transforms, on write: the text that reads back as `text`. Extract and replace lose
 * information, so a layout using them cannot be written (the writer refuses it up front).
 */
export function undoTransforms(text: string, transforms: readonly Transform[]): string {
  let t = text;
  for (const tr of [...transforms].reverse()) {
    if (typeof tr === "string" || "padStart" in tr) continue;
    if ("prefix" in tr) {
      if (t !== "" && !t.startsWith(tr.prefix))
        throw new RangeError(`does not start with the prefix ${JSON.stringify(tr.prefix)}`);
      t = t.slice(tr.prefix.length);
    } else if ("stripPrefix" in tr) t = t === "" ? t : tr.stripPrefix + t;
    else throw new RangeError("extract and replace transforms cannot be undone");
  }
  return t;
}

/** Whether the writer can invert these transforms. */
export function writableTransforms(transforms: readonly Transform[]): boolean {
  return transforms.every((tr) => typeof tr === "string" || !("extract" in tr || "replace" in tr));
}

/** The parser a column gets when its mapping names none. */
export function defaultParser(column: Column): Parser {
  const number = {
    decimalSeparator: ".",
    thousandsSeparator: "",
    impliedDecimals: 0,
    sign: "leading",
  } as const;
  switch (column.type.kind) {
    case "int":
      return { type: "int", ...number };
    case "decimal":
      return { type: "decimal", ...number };
    case "date":
      return { type: "date", format: "yyyy-MM-dd" };
    case "timestamp":
      return { type: "timestamp", format: "yyyy-MM-ddTHH:mm:ss.SSSZ", timeZone: "UTC" };
    case "boolean":
      return { type: "boolean", true: ["true"], false: ["false"] };
    default:
      return { type: "text" };
  }
}

/**
 * Reads the (transformed) text of a field as the value of `column`. Blank text is null; the
 * entity check decides whether null is allowed.
 * @example
 * readValue("12,50", { type: "decimal", decimalSeparator: ",", ... }, unitPriceColumn); // { ok: true, value: "12.50" }
 */
export function readValue(text: string, parser: Parser, column: Column): ReadValue {
  if (text.trim() === "") return { ok: true, value: null };
  const fail = (what: string): ReadValue => ({
    ok: false,
    detail: `${JSON.stringify(text)} is not ${what}`,
  });
  switch (parser.type) {
    case "text":
      return { ok: true, value: text };
    case "code": {
      const value = Object.hasOwn(parser.map, text.trim()) ? parser.map[text.trim()] : undefined;
      return value === undefined
        ? fail(`one of the codes ${Object.keys(parser.map).join(", ")}`)
        : { ok: true, value };
    }
    case "boolean": {
      const t = text.trim();
      if (parser.true.includes(t)) return { ok: true, value: true };
      if (parser.false.includes(t)) return { ok: true, value: false };
      return fail(`${[...parser.true, ...parser.false].join("/")}`);
    }
    case "date": {
      const value = readDate(text, parser.format);
      return value === undefined ? fail(`a date as ${parser.format}`) : { ok: true, value };
    }
    case "timestamp": {
      const value = readTimestamp(text, parser.format, parser.timeZone);
      return value === undefined
        ? fail(`a ${parser.timeZone} time as ${parser.format}`)
        : { ok: true, value };
    }
    case "int":
    case "decimal": {
      const n = readNumber(text, parser);
      const scale = column.type.kind === "decimal" ? column.type.scale : 0;
      const units = n && rescale(n, scale);
      if (units === undefined) {
        return fail(scale ? `a number with at most ${scale} decimals` : "a whole number");
      }
      if (column.type.kind === "decimal") return { ok: true, value: fromUnits(units, scale) };
      const value = Number(units);
      return Number.isSafeInteger(value) ? { ok: true, value } : fail("a whole number in range");
    }
  }
}

/**
 * Writes a column value as the text `parser` reads back; `width` is the fixed-width field's
 * length, so numbers can be zero-padded as mainframes write them.
 * @throws RangeError when the value has no text in this layout (a value the code map lacks).
 */
export function writeValue(value: unknown, parser: Parser, column: Column, width?: number): string {
  if (value === null || value === undefined) return "";
  switch (parser.type) {
    case "text":
      return String(value);
    case "code": {
      const code = Object.entries(parser.map).find(([, v]) => v === value)?.[0];
      if (code === undefined) throw new RangeError(`no code maps to ${JSON.stringify(value)}`);
      return code;
    }
    case "boolean":
      return (value ? parser.true[0] : parser.false[0]) as string;
    case "date":
      return writeDate(String(value), parser.format);
    case "timestamp":
      return writeTimestamp(String(value), parser.format, parser.timeZone);
    case "int":
    case "decimal": {
      const scale = column.type.kind === "decimal" ? column.type.scale : 0;
      const units =
        column.type.kind === "decimal" ? toUnits(String(value), scale) : BigInt(value as number);
      return writeNumber(units, scale, parser, width);
    }
  }
}
