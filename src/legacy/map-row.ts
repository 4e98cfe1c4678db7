import { type Column, divRound, fromUnits, toUnits } from "../entities/index.js";
import type { LegacyLayout } from "./define-legacy-layout.js";
import type { ColumnMapping, Condition } from "./layout-schema.js";
import { applyTransforms, readValue } from "./value-text.js";

/** The raw fields of one detail line, by name. */
export type SourceRow = Readonly<Record<string, string>>;

/** Why a row did not become a record. */
export interface RowFailure {
  readonly reason: string;
  readonly column?: string;
  readonly detail: string;
}

/** What became of one detail row. */
export type RowOutcome =
  | { readonly kind: "record"; readonly record: Record<string, unknown> }
  | { readonly kind: "reject"; readonly failure: RowFailure }
  | { readonly kind: "drop"; readonly reason: string };

/** Whether a condition holds on a row (blanks around the text ignored). */
export function conditionHolds(condition: Condition, row: SourceRow): boolean {
  const text = (row[condition.field] ?? "").trim();
  if (condition.equals !== undefined) return text === condition.equals;
  if (condition.in !== undefined) return condition.in.includes(text);
  if (condition.matches !== undefined) return new RegExp(condition.matches).test(text);
  return text === "";
}

/**
 * Turns the rows of one file into records, in file order. Stateful because a derived line number
 * counts rows within a ticket across the file.
 */
export function createRowMapper(layout: LegacyLayout): (row: SourceRow) => RowOutcome {
  const entity = layout.target;
  const lineNumbers = new Map<string, number>();
  const sourced = entity.columns.filter((c) => {
    const m = layout.columns[c.name] as ColumnMapping;
    return "field" in m || "concat" in m;
  });
  const derived = entity.columns.filter(
    (c) => "derive" in (layout.columns[c.name] as ColumnMapping),
  );
  // Derivations run in dependency order: amounts, then VAT on them, then line numbers.
  const order = { product: 0, vat_included: 1, line_number: 2 } as const;
  derived.sort(
    (a, b) =>
      order[(layout.columns[a.name] as { derive: keyof typeof order }).derive] -
      order[(layout.columns[b.name] as { derive: keyof typeof order }).derive],
  );

  return (row) => {
    for (const route of layout.reject) {
      if (conditionHolds(route.when, row)) {
        return {
          kind: "reject",
          failure: {
            reason: route.reason,
            detail: `${route.when.field} is ${JSON.stringify((row[route.when.field] ?? "").trim())}`,
          },
        };
      }
    }
    for (const route of layout.drop) {
      if (conditionHolds(route.when, row)) return { kind: "drop", reason: route.reason };
    }
    const record: Record<string, unknown> = {};
    let failure: RowFailure | undefined;
    for (const column of sourced) {
      const mapping = layout.columns[column.name] as Extract<
        ColumnMapping,
        { transforms: unknown }
      >;
      const text =
        "field" in mapping
          ? (row[mapping.field] ?? "")
          : mapping.concat.map((p) => (typeof p === "string" ? p : (row[p.field] ?? ""))).join("");
      const read = readValue(
        applyTransforms(text, mapping.transforms),
        layout.parsers[column.name] as never,
        column,
      );
      if (read.ok) record[column.name] = read.value;
      else failure ??= { reason: "unparseable", column: column.name, detail: read.detail };
    }
    for (const column of entity.columns) {
      const m = layout.columns[column.name] as ColumnMapping;
      if ("constant" in m) record[column.name] = m.constant;
    }
    if (layout.returns?.codes.includes((row[layout.returns.field] ?? "").trim())) {
      for (const name of layout.returns.negate) record[name] = negate(record[name]);
    }
    for (const column of derived) {
      const m = layout.columns[column.name] as Extract<ColumnMapping, { derive: string }>;
      if (m.derive === "line_number") {
        if (m.within.some((c) => record[c] === null || record[c] === undefined)) continue;
        const key = m.within.map((c) => String(record[c])).join("\u0000");
        const n = (lineNumbers.get(key) ?? 0) + 1;
        lineNumbers.set(key, n);
        record[column.name] = n;
      } else if (!failure) {
        record[column.name] = derive(m, column, record, entity.columns);
      }
    }
    if (failure) return { kind: "reject", failure };
    // Records come out in the entity's column order, as every other reader of the lake gives them.
    const ordered = Object.fromEntries(entity.columns.map((c) => [c.name, record[c.name] ?? null]));
    const checked = entity.check(ordered);
    if (!checked.ok) {
      const issue = checked.error.issues[0];
      return {
        kind: "reject",
        failure: {
          reason: "invalid",
          ...(issue ? { column: issue.field } : {}),
          detail: issue
            ? `${issue.field} ${issue.message} (got ${JSON.stringify(issue.value)})`
            : checked.error.message,
        },
      };
    }
    return { kind: "record", record: checked.value as Record<string, unknown> };
  };
}

function negate(value: unknown): unknown {
  if (typeof value === "number") return value === 0 ? 0 : -value;
  if (typeof value === "string")
    return value.startsWith("-") ? value.slice(1) : /^0(\.0+)?$/.test(value) ? value : `-${value}`;
  return value;
}

function scaleOf(column: Column | undefined): number {
  return column?.type.kind === "decimal" ? column.type.scale : 0;
}

function unitsOf(value: unknown, scale: number): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "number"
    ? BigInt(value) * 10n ** BigInt(scale)
    : toUnits(String(value), scale);
}

/** Exact derived amounts; rounding (half away from zero) only where the target has fewer places. */
export function derive(
  m: Extract<ColumnMapping, { derive: "product" | "vat_included" }>,
  column: Column,
  record: Readonly<Record<string, unknown>>,
  columns: readonly Column[],
): unknown {
  const col = (name: string) => columns.find((c) => c.name === name);
  const target = scaleOf(column);
  let units: bigint;
  let scale: number;
  if (m.derive === "product") {
    const [a, b] = m.of;
    const sa = scaleOf(col(a));
    const sb = scaleOf(col(b));
    const ua = unitsOf(record[a], sa);
    const ub = unitsOf(record[b], sb);
    if (ua === undefined || ub === undefined) return null;
    units = ua * ub;
    scale = sa + sb;
    if (m.minus) {
      const sm = scaleOf(col(m.minus));
      const um = unitsOf(record[m.minus], sm);
      if (um === undefined) return null;
      if (sm > scale) {
        units *= 10n ** BigInt(sm - scale);
        scale = sm;
      }
      units -= um * 10n ** BigInt(scale - sm);
    }
  } else {
    const sa = scaleOf(col(m.amount));
    const ua = unitsOf(record[m.amount], sa);
    if (ua === undefined) return null;
    const [, fraction = ""] = m.rate.split(".");
    const r = BigInt(fraction);
    const one = 10n ** BigInt(fraction.length);
    units = ua * r;
    scale = sa;
    units = divRound(units, one + r);
  }
  const rounded =
    target >= scale
      ? units * 10n ** BigInt(target - scale)
      : divRound(units, 10n ** BigInt(scale - target));
  return column.type.kind === "decimal" ? fromUnits(rounded, target) : Number(rounded);
}
