/**
 * A file could not be loaded, or the pipe could not run. Names the file (relative to the lake),
 * and the row and column when they are known.
 * @example
 * try { await pipe.refresh() } catch (e) { if (e instanceof PipeError) console.error(e.file, e.row) }
 */
export class PipeError extends Error {
  override readonly name: string = "PipeError";
  readonly file: string | undefined;
  /** 1-based data row (the record number, header excluded). */
  readonly row: number | undefined;
  readonly column: string | undefined;

  constructor(
    message: string,
    at: { file?: string; row?: number; column?: string } = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.file = at.file;
    this.row = at.row;
    this.column = at.column;
  }
}

/**
 * ON_ERROR = ABORT_STATEMENT stopped a load at its first failing file. The failure is in the load
 * history; files loaded before it stay loaded (each file is its own statement, as in Snowpipe);
 * files after it were not attempted.
 */
export class LoadAbortedError extends PipeError {
  override readonly name = "LoadAbortedError";
}
