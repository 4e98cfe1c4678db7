/** Bad command-line input: the CLI prints the message and exits with code 2, writing nothing. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
