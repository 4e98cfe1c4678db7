/** Where a record came from, so an error can point at it. */
export interface RecordLocation {
  /** Path or URL of the file the record was read from or was going to. */
  readonly file?: string;
  /** 1-based row number in that file or in the stream. */
  readonly row?: number;
}

/** One reason a record failed its entity schema. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
  readonly value: unknown;
}

/**
 * A record failed its entity schema. Names the entity, the field, the file and row, and the value.
 * @example
 * try { saleLine.parse(row, { file, row: 12 }) } catch (e) { if (e instanceof ValidationError) e.issues }
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly entity: string;
  readonly issues: readonly FieldIssue[];
  readonly file: string | undefined;
  readonly row: number | undefined;

  constructor(entity: string, issues: readonly FieldIssue[], at: RecordLocation = {}) {
    const where = [at.file && `in ${at.file}`, at.row !== undefined && `row ${at.row}`]
      .filter(Boolean)
      .join(" ");
    const first = issues[0];
    const detail = first
      ? `field "${first.field}" ${first.message} (got ${show(first.value)})`
      : "invalid record";
    const more = issues.length > 1 ? ` and ${issues.length - 1} more issue(s)` : "";
    super(`${entity}${where ? ` ${where}` : ""}: ${detail}${more}`);
    this.entity = entity;
    this.issues = issues;
    this.file = at.file;
    this.row = at.row;
  }

  /** The first failing field, the one the message names. */
  get field(): string | undefined {
    return this.issues[0]?.field;
  }
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
