import { z } from "zod";

/**
 * The schema of a legacy layout: what a user writes to describe one real flat file and map it
 * onto one entity. Every type of this folder is inferred from here.
 */

// Real exports name their columns in the users' language ("Libellé", "N° ticket").
const name = z.string().regex(/^[\p{L}_][\p{L}\p{N}_ .°/'-]{0,62}$/u, {
  error: "must be a field name: letters, digits, _ . ° / ' - and spaces, at most 63 characters",
});

/** The bytes: a real encoding, not a guess. `utf-8-bom` writes the BOM; reading accepts it either way. */
export const encodingSchema = z.enum(["utf-8", "utf-8-bom", "iso-8859-1", "windows-1252"]);

/** A test on the raw text of one source field (surrounding blanks ignored). Exactly one test. */
export const conditionSchema = z
  .object({
    field: name,
    equals: z.string().optional(),
    in: z.array(z.string()).min(1).optional(),
    matches: z.string().optional(),
    empty: z.literal(true).optional(),
  })
  .strict()
  .refine((c) => [c.equals, c.in, c.matches, c.empty].filter((v) => v !== undefined).length === 1, {
    error: "needs exactly one of equals, in, matches, empty",
  });

/** How a number is written: separators, implied decimal places, where the sign goes. */
const numberFormat = {
  decimalSeparator: z.enum([".", ","]).default("."),
  thousandsSeparator: z.enum(["", " ", ".", ",", "'"]).default(""),
  /** Digits after an implied decimal point: `12345` with 2 is `123.45` (COBOL `9(n)V99`). */
  impliedDecimals: z.int().min(0).max(9).default(0),
  /** `trailing` reads `123-` and `123+` (COBOL `SIGN TRAILING SEPARATE`). */
  sign: z.enum(["leading", "trailing"]).default("leading"),
};
export const numberFormatSchema = z.object(numberFormat).strict();

const DATE_TOKENS = /^(?:yyyy|MM|dd|HH|mm|ss|SSS|T|Z|[^A-Za-z])+$/;
const dateFormat = z.string().regex(DATE_TOKENS, {
  error:
    "must be made of yyyy, MM, dd, HH, mm, ss, SSS, the letters T and Z, and non-letter separators",
});

/** How the text of a field becomes the column's value. Defaults follow the column's type. */
export const parserSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }).strict(),
  z.object({ type: z.literal("int"), ...numberFormat }).strict(),
  z.object({ type: z.literal("decimal"), ...numberFormat }).strict(),
  z.object({ type: z.literal("date"), format: dateFormat.default("yyyy-MM-dd") }).strict(),
  z
    .object({
      type: z.literal("timestamp"),
      format: dateFormat.default("yyyy-MM-ddTHH:mm:ss.SSSZ"),
      /** IANA zone the legacy system wrote its wall-clock times in. */
      timeZone: z.string().default("UTC"),
    })
    .strict(),
  z
    .object({
      type: z.literal("boolean"),
      true: z.array(z.string()).min(1).default(["true"]),
      false: z.array(z.string()).min(1).default(["false"]),
    })
    .strict(),
  /** Codes to values, `{ CB: "card", ESP: "cash" }`; an unknown code is unparseable. */
  z.object({ type: z.literal("code"), map: z.record(z.string(), z.string()) }).strict(),
]);

/**
 * Text rewrites applied in order before parsing. `prefix` prepends to any non-blank text;
 * `integer-text` turns `13085.0` into `13085`; `extract` keeps the first group (or the match).
 */
export const transformSchema = z.union([
  z.enum(["trim", "upper", "lower", "integer-text"]),
  z.object({ prefix: z.string().min(1) }).strict(),
  z.object({ stripPrefix: z.string().min(1) }).strict(),
  z.object({ padStart: z.int().min(1).max(64), with: z.string().length(1).default("0") }).strict(),
  z.object({ extract: z.string() }).strict(),
  z.object({ replace: z.string(), with: z.string() }).strict(),
]);

const valueSpec = {
  transforms: z.array(transformSchema).default([]),
  parse: parserSchema.optional(),
};

const fieldPart = z.object({ field: name }).strict();

/** Where the value of one entity column comes from. */
export const columnMappingSchema = z.union([
  z.object({ field: name, ...valueSpec }).strict(),
  z.object({ constant: z.union([z.string(), z.int(), z.boolean(), z.null()]) }).strict(),
  /** An expression over source fields: literal text and fields joined, then parsed. */
  z.object({ concat: z.array(z.union([z.string(), fieldPart])).min(2), ...valueSpec }).strict(),
  /** quantity x price - discount, exact, for a file that has no net amount. */
  z
    .object({
      derive: z.literal("product"),
      of: z.tuple([z.string(), z.string()]),
      minus: z.string().optional(),
    })
    .strict(),
  /** The VAT part of an amount that includes it, at a rate (`"0.20"`), half away from zero. */
  z
    .object({
      derive: z.literal("vat_included"),
      amount: z.string(),
      rate: z.string().regex(/^0\.\d{1,6}$/, { error: 'must be a rate like "0.20"' }),
    })
    .strict(),
  /** 1, 2, 3... within each group of rows sharing these columns, in file order. */
  z.object({ derive: z.literal("line_number"), within: z.array(z.string()).min(1) }).strict(),
]);

/** One source field of a record: a delimited column, or a fixed-width slice. */
export const sourceFieldSchema = z.union([
  name,
  z
    .object({
      name,
      /** Fixed-width only: 1-based position and length in characters. */
      start: z.int().min(1).optional(),
      length: z.int().min(1).optional(),
      /** What the writer puts in a field no column maps (a record type, a filler). */
      default: z.string().optional(),
    })
    .strict(),
]);

const routeSchema = z
  .object({ reason: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), when: conditionSchema })
  .strict();

const controlCheck = z
  .object({
    /** Which control record holds the figure. */
    record: z.enum(["header", "trailer"]),
    field: name,
    /** `count`: the number of detail lines; `total`: the sum of a detail field. */
    check: z.enum(["count", "total"]),
    /** For `total`: the detail field summed, read with `format`. */
    sum: name.optional(),
    format: numberFormatSchema.default({
      decimalSeparator: ".",
      thousandsSeparator: "",
      impliedDecimals: 0,
      sign: "leading",
    }),
  })
  .strict()
  .refine((c) => (c.check === "total") === (c.sum !== undefined), {
    error: "a total check needs `sum` (the detail field added up); a count check takes none",
  });

const recordSchema = z
  .object({ code: z.string().min(1).optional(), fields: z.array(sourceFieldSchema).min(1) })
  .strict();

const delimitedSchema = z
  .object({
    kind: z.literal("delimited"),
    delimiter: z.string().length(1).default(","),
    quote: z.string().length(1).default('"'),
    /** The character escaping a quote inside a quoted field; the quote itself doubles it by default. */
    escape: z.string().length(1).optional(),
    header: z.boolean().default(true),
    /** Lines before the header (or the first row) to skip: banners, export dates. */
    skipLines: z.int().min(0).max(1000).default(0),
    /** Detail fields in file order; with `header`, the header must name them (any order). */
    fields: z.array(sourceFieldSchema).min(1),
    /** A control line after the last row, split like a row. */
    trailer: recordSchema.optional(),
  })
  .strict();

const fixedWidthSchema = z
  .object({
    kind: z.literal("fixed-width"),
    /** Where the record type code is; without it every line is a detail record. */
    recordType: z
      .object({ start: z.int().min(1), length: z.int().min(1) })
      .strict()
      .optional(),
    header: recordSchema.optional(),
    detail: recordSchema,
    trailer: recordSchema.optional(),
  })
  .strict();

/** What a user writes in `defineLegacyLayout({...})`. */
export const layoutDefinitionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be snake_case" }),
    description: z.string().min(1),
    /** The entity the rows become. */
    entity: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
    encoding: encodingSchema,
    lineEnding: z.enum(["lf", "crlf"]).default("lf"),
    compression: z.enum(["none", "gzip"]).default("none"),
    format: z.discriminatedUnion("kind", [delimitedSchema, fixedWidthSchema]),
    /** Every entity column, by name: a source field, a constant, an expression, or derived. */
    columns: z.record(z.string(), columnMappingSchema),
    /** A return recognised by a code: the listed columns are negated when the field holds a code. */
    returns: z
      .object({
        field: name,
        codes: z.array(z.string()).min(1),
        /** What the writer puts in the field for a sale. */
        otherwise: z.string(),
        /** The column whose sign marks a return when writing, and the columns negated. */
        negate: z.array(z.string()).min(1),
      })
      .strict()
      .optional(),
    /** Rows rejected whole with a named reason (fees, postage, adjustments, test lines). */
    reject: z.array(routeSchema).default([]),
    /** Rows dropped and counted, only where the layout says so. */
    drop: z.array(routeSchema).default([]),
    control: z.array(controlCheck).default([]),
  })
  .strict();

export type LayoutDefinition = z.input<typeof layoutDefinitionSchema>;
export type ParsedLayout = z.output<typeof layoutDefinitionSchema>;
export type Encoding = z.output<typeof encodingSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type NumberFormat = z.output<typeof numberFormatSchema>;
export type Parser = z.output<typeof parserSchema>;
export type Transform = z.output<typeof transformSchema>;
export type ColumnMapping = z.output<typeof columnMappingSchema>;
export type SourceField = z.output<typeof sourceFieldSchema>;
export type ControlCheck = z.output<typeof controlCheck>;
