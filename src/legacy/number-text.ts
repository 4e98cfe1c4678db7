import type { NumberFormat } from "./layout-schema.js";
import { regexLiteral } from "./regex-text.js";

/** An exact number read from legacy text: `units` x 10^-scale. */
export interface ExactNumber {
  readonly units: bigint;
  readonly scale: number;
}

/**
 * Reads a number as a legacy system wrote it; `undefined` when the text is not one.
 * @example
 * readNumber("1 234,50", { decimalSeparator: ",", thousandsSeparator: " ", impliedDecimals: 0, sign: "leading" });
 * // { units: 123450n, scale: 2 }
 * readNumber("0001250-", { decimalSeparator: ".", thousandsSeparator: "", impliedDecimals: 2, sign: "trailing" });
 * // { units: -1250n, scale: 2 }
 */
export function readNumber(text: string, format: NumberFormat): ExactNumber | undefined {
  const t = text.trim();
  const sign = format.sign === "leading" ? /^([+-]?)(.+)$/.exec(t) : /^(.+?)([+-]?)$/.exec(t);
  if (!sign) return undefined;
  const [signText, body] = format.sign === "leading" ? [sign[1], sign[2]] : [sign[2], sign[1]];
  const group = format.thousandsSeparator;
  const intPart = group ? `\\d{1,3}(?:${regexLiteral(group)}\\d{3})*|\\d+` : "\\d+";
  const fraction = format.impliedDecimals
    ? ""
    : `(?:${regexLiteral(format.decimalSeparator)}(\\d+))?`;
  const m = new RegExp(`^(${intPart})${fraction}$`).exec(body ?? "");
  if (!m) return undefined;
  const digits = (m[1] as string).split(group || "\u0000").join("");
  const decimals = m[2] ?? "";
  const scale = format.impliedDecimals || decimals.length;
  const units = BigInt(digits + decimals);
  return { units: signText === "-" ? -units : units, scale };
}

/** Rescales exactly; `undefined` when digits would be lost (`12.345` to 2 places). */
export function rescale(n: ExactNumber, scale: number): bigint | undefined {
  if (n.scale <= scale) return n.units * 10n ** BigInt(scale - n.scale);
  const factor = 10n ** BigInt(n.scale - scale);
  return n.units % factor === 0n ? n.units / factor : undefined;
}

/**
 * Writes `units` at `scale` the way `format` reads it back; `width` zero-pads the digits for a
 * fixed-width field without separators.
 * @example
 * writeNumber(-1250n, 2, { decimalSeparator: ",", thousandsSeparator: "", impliedDecimals: 0, sign: "leading" }); // "-12,50"
 */
export function writeNumber(
  units: bigint,
  scale: number,
  format: NumberFormat,
  width?: number,
): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const places = format.impliedDecimals || scale;
  const scaled = rescale({ units: abs, scale }, places);
  if (scaled === undefined)
    throw new RangeError(`${units} at scale ${scale} has more than ${places} decimals`);
  let digits = scaled.toString().padStart(places + 1, "0");
  const intPart = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  const grouped = format.thousandsSeparator
    ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, format.thousandsSeparator)
    : intPart;
  digits = format.impliedDecimals
    ? `${intPart}${frac}`
    : `${grouped}${places ? `${format.decimalSeparator}${frac}` : ""}`;
  const trailing = format.sign === "trailing";
  const signText = negative ? "-" : trailing ? "+" : "";
  if (width !== undefined && !format.thousandsSeparator && (format.impliedDecimals || !places)) {
    digits = digits.padStart(width - (trailing || negative ? 1 : 0), "0");
  }
  return trailing ? `${digits}${signText}` : `${signText}${digits}`;
}
