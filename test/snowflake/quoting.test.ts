import fc from "fast-check";
import { expect, test } from "vitest";
import { DdlError, ident, literal, qualified } from "../../src/snowflake/index.js";

/**
 * Snowflake's lexing of the two token kinds we emit, written from its documentation: a string
 * constant is '...' where a backslash escapes the next character and '' is a quote; a quoted
 * identifier is "..." where "" is a quote. Returns where the token starting at `from` ends.
 */
function tokenEnd(sql: string, from: number): number {
  const open = sql[from];
  if (open === "'") {
    for (let i = from + 1; i < sql.length; i++) {
      if (sql[i] === "\\") i++;
      else if (sql[i] === "'") {
        if (sql[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return -1;
  }
  if (open === '"') {
    for (let i = from + 1; i < sql.length; i++) {
      if (sql[i] === '"') {
        if (sql[i + 1] === '"') i++;
        else return i + 1;
      }
    }
    return -1;
  }
  const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(from));
  return m ? from + m[0].length : -1;
}

/** The value Snowflake reads from one string constant. */
function unescapeLiteral(token: string): string {
  let out = "";
  for (let i = 1; i < token.length - 1; i++) {
    const c = token[i] as string;
    if (c === "\\") {
      i++;
      out += token[i];
    } else if (c === "'" && token[i + 1] === "'") {
      i++;
      out += "'";
    } else out += c;
  }
  return out;
}

test("literal() keeps any string one token, which reads back as the string", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      const sql = `SELECT ${literal(s)}; DROP TABLE x`;
      const start = "SELECT ".length;
      const end = tokenEnd(sql, start);
      // The token ends exactly where the literal ends: nothing leaks into the statement.
      expect(end).toBe(start + literal(s).length);
      expect(sql.slice(end)).toBe("; DROP TABLE x");
      expect(unescapeLiteral(literal(s))).toBe(s);
    }),
    { numRuns: 2000 },
  );
});

test("literal() escapes backslash and quote, nothing else", () => {
  expect(literal("it's")).toMatchInlineSnapshot(`"'it\\'s'"`);
  expect(literal("a\\';DROP TABLE t;--")).toMatchInlineSnapshot(`"'a\\\\\\';DROP TABLE t;--'"`);
  expect(literal("$$\n")).toMatchInlineSnapshot(`
    "'$$
    '"
  `);
});

test("ident() keeps any name one token, unquoted only when Snowflake reads it back unchanged", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 255 }), (name) => {
      const rendered = ident(name);
      const sql = `SELECT * FROM ${rendered}; DROP TABLE x`;
      const start = "SELECT * FROM ".length;
      expect(tokenEnd(sql, start)).toBe(start + rendered.length);
      if (rendered.startsWith('"')) {
        expect(rendered.slice(1, -1).replaceAll('""', '"')).toBe(name);
      } else {
        // Unquoted names are folded to upper case by Snowflake: only safe if already upper.
        expect(rendered).toBe(name);
        expect(name).toBe(name.toUpperCase());
      }
    }),
    { numRuns: 2000 },
  );
});

test("ident() folds only plain names, quotes reserved words, limits length", () => {
  expect([
    ident("SALE_LINE"),
    ident("sale_line"),
    ident("sale_line", { fold: true }),
    ident('a"b'),
    ident("ORDER"),
    ident("order", { fold: true }),
    ident("A$1"),
  ]).toMatchInlineSnapshot(`
    [
      "SALE_LINE",
      ""sale_line"",
      "SALE_LINE",
      ""a""b"",
      ""ORDER"",
      ""ORDER"",
      "A$1",
    ]
  `);
  expect(() => ident("")).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: identifier: an identifier cannot be empty]`,
  );
  expect(() => ident("x".repeat(256))).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: identifier "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...": an identifier has at most 255 characters]`,
  );
  expect(() => ident("a b", { fold: true })).toThrow(DdlError);
  expect(ident("x".repeat(255))).toHaveLength(257);
});

test("qualified() renders db.schema.object, folding plain parts and quoting the rest", () => {
  expect(qualified({ database: "retail", schema: "raw", name: "sale_line" })).toMatchInlineSnapshot(
    `"RETAIL.RAW.SALE_LINE"`,
  );
  expect(
    qualified({ database: "Retail Dev", schema: "raw", name: 'we"ird' }),
  ).toMatchInlineSnapshot(`""Retail Dev".RAW."we""ird""`);
  expect(
    qualified({ database: "retail", schema: "raw", name: "t", fold: false }),
  ).toMatchInlineSnapshot(`""retail"."raw"."t""`);
});
