/**
 * Replaces every known secret in a text with `***`. Built from the connection settings and
 * applied to every error and log line the executor produces, so a password echoed by a
 * driver message never reaches a terminal or a CI log.
 */
export class SecretRedactor {
  private readonly secrets: readonly string[];
  constructor(secrets: readonly (string | undefined)[]) {
    // Longest first, so a secret containing another is replaced whole.
    this.secrets = [
      ...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 4)),
    ].sort((a, b) => b.length - a.length);
  }
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("***");
    return out;
  }
}
