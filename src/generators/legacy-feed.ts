import { z } from "zod";
import type { Batch, Entity, TimeWindow } from "../entities/index.js";
import { DEFECT_KINDS, type DefectEntry, type DefectKind, PRICE_BUG } from "./defect-kind.js";
import { hashKeys, PURPOSE, type Rng, streamFor, unitHash } from "./prng.js";
import { type TextRow, toTextRow } from "./text-row.js";

/** Legacy rows of one entity from one window, as a flat file would carry them. */
export interface LegacyBatch {
  readonly entity: Entity;
  readonly rows: readonly TextRow[];
  readonly window: TimeWindow;
}

const ratesSchema = z.partialRecord(z.enum(DEFECT_KINDS), z.number().min(0).max(1));

/** How many defects to inject, and where from. */
export const legacyFeedOptionsSchema = z
  .object({
    seed: z.int().min(0).max(4_294_967_295),
    /** Share of rows carrying a defect, spread evenly over the kinds that apply to the entity. */
    rate: z.number().min(0).max(1).default(0),
    /** Per-kind probability that a row gets that defect; overrides `rate` for the kinds named. */
    rates: ratesSchema.default({}),
  })
  .strict();

export type LegacyFeedOptions = z.input<typeof legacyFeedOptionsSchema>;

/** Bad legacy-feed options: names the option. */
export class LegacyFeedOptionsError extends Error {
  override readonly name = "LegacyFeedOptionsError";
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`legacy feed options: "${field}" ${reason}`);
  }
}

/** A streaming legacy-feed converter: feed it batches in order, read the manifest at the end. */
export interface LegacyFeed {
  /** Converts a batch; rows held back as late arrivals from earlier windows come first. */
  convert(batch: Batch): LegacyBatch;
  /** Rows still held back (no later window came): emitted as-is, in their own windows. */
  flush(): LegacyBatch[];
  /** The defects injected so far, in row order per entity. */
  readonly manifest: readonly DefectEntry[];
}

const STORE_REF = "store_id";
const SKU_REF = "sku";
const NAME_COLUMNS: Record<string, readonly string[]> = {
  store: ["store_name", "city", "region"],
  product: ["product_name", "brand"],
  customer: ["first_name", "last_name", "city"],
};

interface EntityPlan {
  readonly entity: Entity;
  readonly index: number;
  readonly kinds: readonly DefectKind[];
  readonly cumulative: Float64Array;
  readonly dateColumn: string | undefined;
  readonly decimalColumns: readonly string[];
  readonly paddable: readonly string[];
  readonly priceColumn: string | undefined;
  inputs: number;
  rows: number;
  late: { row: TextRow; key: string; at: number }[];
  /** The latest window seen: held rows that never became late are emitted clean in it. */
  lastWindow: TimeWindow | undefined;
}

/**
 * Creates a legacy-feed converter: records become flat-file text rows with defects injected at
 * the configured rates, and a side manifest of which row got which defect. At most one defect
 * per row, so the manifest is exact. Decisions depend on (seed, entity, record ordinal), not on
 * batch sizes.
 * @example
 * const feed = createLegacyFeed({ seed: 7, rate: 0.02 });
 * for (const batch of sim.generate()) writeCsv(feed.convert(batch));
 * for (const rest of feed.flush()) writeCsv(rest);
 * feed.manifest; // [{ entity: "sale_line", row: 17, key: "T-S001-20261101-000003|2", defect: "dmy_date", column: "sold_at" }, ...]
 */
export function createLegacyFeed(input: LegacyFeedOptions): LegacyFeed {
  const parsed = legacyFeedOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LegacyFeedOptionsError(
      issue?.path.join(".") || "(options)",
      issue?.message ?? "invalid",
    );
  }
  const options = parsed.data;
  const manifest: DefectEntry[] = [];
  const plans = new Map<string, EntityPlan>();

  const planOf = (entity: Entity): EntityPlan => {
    let plan = plans.get(entity.name);
    if (plan) return plan;
    const kinds = DEFECT_KINDS.filter((k) => applies(entity, k));
    const cumulative = new Float64Array(kinds.length);
    let total = 0;
    kinds.forEach((k, i) => {
      total += options.rates[k] ?? options.rate / kinds.length;
      cumulative[i] = total;
    });
    if (total > 1) {
      throw new LegacyFeedOptionsError("rates", `add up to ${total} for ${entity.name}; at most 1`);
    }
    const keyColumns = new Set<string>(entity.key as readonly string[]);
    const foreign = new Set([STORE_REF, SKU_REF, "customer_id"]);
    const patterned = entity.columns.filter(
      (c) => c.type.kind === "string" && (c.patterns || c.values) && !keyColumns.has(c.name),
    );
    const plain = patterned.filter((c) => !foreign.has(c.name));
    plan = {
      entity,
      index: hashKeys(
        0,
        [...entity.name].map((ch) => ch.charCodeAt(0)),
      ),
      kinds,
      cumulative,
      dateColumn:
        entity.eventTime ??
        entity.columns.find((c) => c.type.kind === "date" || c.type.kind === "timestamp")?.name,
      decimalColumns: entity.columns.filter((c) => c.type.kind === "decimal").map((c) => c.name),
      paddable: (plain.length ? plain : patterned).map((c) => c.name),
      priceColumn:
        entity.name === "sale_line"
          ? "unit_price"
          : entity.name === "product"
            ? "list_price"
            : undefined,
      inputs: 0,
      rows: 0,
      late: [],
      lastWindow: undefined,
    };
    plans.set(entity.name, plan);
    return plan;
  };

  function emit(
    plan: EntityPlan,
    entity: Entity,
    out: TextRow[],
    row: TextRow,
    key: string,
    defect?: DefectKind,
    column?: string,
  ) {
    out.push(row);
    plan.rows++;
    if (defect) {
      manifest.push({
        entity: entity.name,
        row: plan.rows,
        key,
        defect,
        ...(column ? { column } : {}),
      });
    }
  }

  return {
    manifest,
    convert(batch) {
      const { entity } = batch;
      const plan = planOf(entity);
      const out: TextRow[] = [];
      const from = Date.parse(batch.window.from);
      plan.lastWindow = batch.window;
      if (plan.late.length) {
        const still: EntityPlan["late"] = [];
        for (const held of plan.late) {
          if (held.at < from)
            emit(plan, entity, out, held.row, held.key, "late_arrival", entity.eventTime);
          else still.push(held);
        }
        plan.late = still;
      }
      for (const record of batch.records as readonly Record<string, unknown>[]) {
        const ordinal = plan.inputs++;
        const row = toTextRow(entity, record);
        const key = entity.keyOf(record);
        const kind = chooseKind(plan, unitHash(options.seed, PURPOSE.legacy, plan.index, ordinal));
        if (!kind) {
          emit(plan, entity, out, row, key);
          continue;
        }
        if (kind === "duplicate") {
          emit(plan, entity, out, row, key);
          emit(plan, entity, out, { ...row }, key, "duplicate");
          continue;
        }
        if (kind === "late_arrival") {
          plan.late.push({ row, key, at: Date.parse(String(record[entity.eventTime as string])) });
          continue;
        }
        const rng = streamFor(options.seed, PURPOSE.legacy, plan.index, ordinal);
        const column = inject(kind, entity, plan, row, rng);
        if (column === null) emit(plan, entity, out, row, key);
        else emit(plan, entity, out, row, key, kind, column);
      }
      return { entity, rows: out, window: batch.window };
    },
    flush() {
      // Held rows no later window came for: their event time is inside the last window, so
      // they are not late after all. They go out clean, at the end of that window's stream.
      const rest: LegacyBatch[] = [];
      for (const plan of plans.values()) {
        if (!plan.late.length || !plan.lastWindow) continue;
        const out: TextRow[] = [];
        for (const held of plan.late) emit(plan, plan.entity, out, held.row, held.key);
        rest.push({ entity: plan.entity, rows: out, window: plan.lastWindow });
        plan.late = [];
      }
      return rest;
    },
  };
}

function applies(entity: Entity, kind: DefectKind): boolean {
  const has = (name: string) => entity.columns.some((c) => c.name === name);
  switch (kind) {
    case "unknown_store":
      return entity.name !== "store" && has(STORE_REF);
    case "unknown_sku":
      return entity.name !== "product" && has(SKU_REF);
    case "price_bug":
      return entity.name === "sale_line" || entity.name === "product";
    case "unmarked_return":
      return entity.name === "sale_line";
    case "dmy_date":
      return entity.columns.some((c) => c.type.kind === "date" || c.type.kind === "timestamp");
    case "decimal_comma":
      return entity.columns.some((c) => c.type.kind === "decimal");
    case "trailing_spaces":
      return entity.columns.some((c) => c.type.kind === "string" && (c.patterns || c.values));
    case "late_arrival":
      return entity.partition === "hour";
    case "latin1_name":
      return entity.name in NAME_COLUMNS;
    case "null_key":
      // A reference row without its key would orphan every fact pointing at it: a cascade of
      // failures the manifest could not declare row by row.
      return entity.partition !== "none";
    default:
      return true;
  }
}

function chooseKind(plan: EntityPlan, u: number): DefectKind | undefined {
  for (let i = 0; i < plan.kinds.length; i++) {
    if (u < (plan.cumulative[i] as number)) return plan.kinds[i];
  }
  return undefined;
}

/**
 * Applies an in-row defect; returns the column it went into, or null when the row offers no
 * place for it (a name with nothing outside ASCII cannot show a Latin-1 misread).
 */
function inject(
  kind: DefectKind,
  entity: Entity,
  plan: EntityPlan,
  row: TextRow,
  rng: Rng,
): string | null {
  switch (kind) {
    case "null_key": {
      const column = entity.key[0] as string;
      row[column] = null;
      return column;
    }
    case "unknown_store":
      row[STORE_REF] = inKey(entity, STORE_REF)
        ? `S9${(row[STORE_REF] ?? "").slice(1).padStart(4, "0")}`
        : `S9${String(rng.int(10_000)).padStart(4, "0")}`;
      return STORE_REF;
    case "unknown_sku":
      row[SKU_REF] = inKey(entity, SKU_REF)
        ? `P9${(row[SKU_REF] ?? "").slice(-5)}`
        : `P9${String(rng.int(100_000)).padStart(5, "0")}`;
      return SKU_REF;
    case "price_bug":
      row[plan.priceColumn as string] = PRICE_BUG;
      return plan.priceColumn as string;
    case "unmarked_return": {
      const abs = (v: string | null | undefined) => (v?.startsWith("-") ? v.slice(1) : (v ?? null));
      // A zero net (a fully discounted line) cannot show the sign error: no defect then.
      if (Number(row.net_amount) === 0) return null;
      row.quantity = String(-Math.abs(Number(row.quantity)));
      row.net_amount = abs(row.net_amount);
      row.vat_amount = abs(row.vat_amount);
      return "quantity";
    }
    case "dmy_date": {
      const column = plan.dateColumn as string;
      const value = row[column];
      if (!value) return null;
      const dmy = `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}`;
      row[column] = value.length > 10 ? `${dmy} ${value.slice(11, 19)}` : dmy;
      return column;
    }
    case "decimal_comma": {
      const column = rng.pick(plan.decimalColumns);
      const value = row[column];
      if (!value) return null;
      row[column] = value.replace(".", ",");
      return column;
    }
    case "trailing_spaces": {
      const candidates = plan.paddable.filter((c) => row[c]);
      if (!candidates.length) return null;
      const column = rng.pick(candidates);
      row[column] = `${row[column]}${" ".repeat(rng.between(1, 4))}`;
      return column;
    }
    case "latin1_name": {
      const columns = (NAME_COLUMNS[entity.name] ?? []).filter((c) => /[^ -~]/.test(row[c] ?? ""));
      if (!columns.length) return null;
      const column = rng.pick(columns);
      const misread = latin1AsUtf8(row[column] as string);
      if (!misread.includes("\uFFFD")) return null;
      row[column] = misread;
      return column;
    }
    default:
      return null;
  }
}

/**
 * Whether a column is part of the entity's key (stock_snapshot's store_id and sku). There a random
 * unknown code could repeat within one store-day (two rows, one key: a key clash the manifest
 * does not declare), so the code is derived from the real one instead: real stores are S001-S999
 * and real SKUs P000001-P099999, so S002 -> S90002 and P000094 -> P900094 are unknown, and
 * distinct real codes give distinct unknown ones.
 */
function inKey(entity: Entity, column: string): boolean {
  return (entity.key as readonly string[]).includes(column);
}

/**
 * What a UTF-8 reader makes of text a legacy system wrote in Latin-1.
 * @example
 * latin1AsUtf8("Crème"); // "Cr\uFFFDme"
 */
export function latin1AsUtf8(text: string): string {
  return new TextDecoder("utf-8").decode(Buffer.from(text, "latin1"));
}

/**
 * Converts whole batches at once (small data, tests): the legacy batches and the manifest.
 * @example
 * const { batches, manifest } = toLegacyFeed(sim.generate(), { seed: 7, rate: 0.02 });
 */
export function toLegacyFeed(
  batches: Iterable<Batch>,
  options: LegacyFeedOptions,
): { batches: LegacyBatch[]; manifest: readonly DefectEntry[] } {
  const feed = createLegacyFeed(options);
  const out: LegacyBatch[] = [];
  for (const batch of batches) out.push(feed.convert(batch));
  out.push(...feed.flush());
  return { batches: out, manifest: feed.manifest };
}
