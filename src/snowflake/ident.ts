import { DdlError } from "./ddl-error.js";

const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const UPPER_UNQUOTED = /^[A-Z_][A-Z0-9_$]*$/;
const MAX_LENGTH = 255;

// Snowflake's reserved keywords: an unquoted ORDER is a syntax error, "ORDER" is a column.
const RESERVED = new Set(
  (
    "ACCOUNT ALL ALTER AND ANY AS ASOF BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT " +
    "CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE " +
    "DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN " +
    "INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP " +
    "MATCH_CONDITION MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT " +
    "RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE " +
    "TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH"
  ).split(" "),
);

/** How to read a name given to `ident()`. */
export interface IdentOptions {
  /**
   * `true`: the name means what Snowflake makes of it unquoted, its upper-cased form
   * (`sale_line` is the table `SALE_LINE`). Only for names matching `[A-Za-z_][A-Za-z0-9_$]*`.
   * `false` (default): the name is exact and case-sensitive.
   */
  readonly fold?: boolean;
}

/**
 * Renders one identifier part. Unquoted only when Snowflake would read it back unchanged
 * (`[A-Z_][A-Z0-9_$]*`, not a reserved word); otherwise double-quoted with `"` doubled, so any
 * text stays one token.
 * @throws DdlError for an empty name or one longer than 255 characters.
 * @example
 * ident("SALE_LINE")                 // SALE_LINE
 * ident("sale_line")                 // "sale_line"  (exact, case-sensitive)
 * ident("sale_line", { fold: true }) // SALE_LINE
 * ident('a"b')                       // "a""b"
 */
export function ident(name: string, options: IdentOptions = {}): string {
  if (typeof name !== "string" || name.length === 0) {
    throw new DdlError("an identifier cannot be empty", { object: "identifier" });
  }
  if (options.fold && !UNQUOTED.test(name)) {
    throw new DdlError(
      "only a name matching [A-Za-z_][A-Za-z0-9_$]* can be folded to upper case; pass it exact",
      { object: "identifier", name },
    );
  }
  const exact = options.fold ? name.toUpperCase() : name;
  if ([...exact].length > MAX_LENGTH) {
    throw new DdlError(`an identifier has at most ${MAX_LENGTH} characters`, {
      object: "identifier",
      name: `${exact.slice(0, 40)}...`,
    });
  }
  if (UPPER_UNQUOTED.test(exact) && !RESERVED.has(exact)) return exact;
  return `"${exact.replaceAll('"', '""')}"`;
}

/** A schema object's full name. Each part is read as `ident()` reads it. */
export interface QualifiedName {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  /** Fold every part to upper case (the default), or take them exact. */
  readonly fold?: boolean;
}

/**
 * Renders `database.schema.object`, each part quoted as needed.
 * @example
 * qualified({ database: "RETAIL", schema: "RAW", name: "sale_line" }) // RETAIL.RAW.SALE_LINE
 */
export function qualified(name: QualifiedName): string {
  const fold = name.fold ?? true;
  const part = (p: string) => ident(p, { fold: fold && UNQUOTED.test(p) });
  return `${part(name.database)}.${part(name.schema)}.${part(name.name)}`;
}

/** Renders an account-level name (role, integration, database), folded when it can be. */
export function objectName(name: string): string {
  return ident(name, { fold: UNQUOTED.test(name) });
}

/** The name Snowflake stores for an account-level name given to `objectName()`. */
export function storedName(name: string): string {
  return UNQUOTED.test(name) ? name.toUpperCase() : name;
}
