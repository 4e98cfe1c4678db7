// The few YAML shapes the dbt renderers write. Hand-rolled rather than a YAML library so the
// output is byte-stable and reads like what a person would write.
import { yamlString } from "../quality/dbt-tests.js";

/** A YAML double-quoted scalar, escapes included (the same quoting as the quality tests). */
export function quote(text: string): string {
  return yamlString(text);
}

/** A dbt data test as written under `data_tests:`: its name, arguments and config. */
export interface DbtTestSpec {
  readonly test: string;
  /** Explicit test name, for tests whose generated name would be unreadable. */
  readonly name?: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
  readonly severity?: "error" | "warn";
}

/** Inline YAML (flow style) of a plain value: strings quoted, arrays and objects in braces. */
export function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(", ")}}`;
  }
  if (typeof value === "string") return quote(value);
  return String(value);
}

/** Lines of a `data_tests:` list at `indent` spaces. */
export function testLines(tests: readonly DbtTestSpec[], indent: number): string[] {
  if (tests.length === 0) return [];
  const pad = " ".repeat(indent);
  const lines = [`${pad}data_tests:`];
  for (const t of tests) {
    const body: Record<string, unknown> = {};
    if (t.name) body.name = t.name;
    if (t.arguments) body.arguments = t.arguments;
    if (t.severity) body.config = { severity: t.severity };
    lines.push(
      Object.keys(body).length ? `${pad}  - ${t.test}: ${flow(body)}` : `${pad}  - ${t.test}`,
    );
  }
  return lines;
}

/** A documented column of a model, with its tests. */
export interface DocumentedColumn {
  readonly name: string;
  readonly description: string;
  readonly dataType?: string;
  readonly tests?: readonly DbtTestSpec[];
}

/** Lines of one model: name, description, model-level tests and columns. */
export function modelLines(
  name: string,
  description: string,
  columns: readonly DocumentedColumn[],
  tests: readonly DbtTestSpec[] = [],
): string[] {
  const lines = [
    `  - name: ${name}`,
    `    description: ${quote(description)}`,
    ...testLines(tests, 4),
  ];
  lines.push("    columns:");
  for (const c of columns) {
    lines.push(`      - name: ${c.name}`);
    if (c.dataType) lines.push(`        data_type: ${c.dataType}`);
    lines.push(`        description: ${quote(c.description)}`);
    lines.push(...testLines(c.tests ?? [], 8));
  }
  return lines;
}
