/** A subcommand of the `retail-mds` CLI: its one-line summary and what it runs. */
export interface Command {
  readonly summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}
