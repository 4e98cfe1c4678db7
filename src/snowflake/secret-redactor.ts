/**
 * Replaces every known secret of 4 characters or more in a text with `***`. A second line of
 * defence, applied to query errors and statements: a login failure never shows the driver's
 * text at all (see `SnowflakeConnectError`), which is what protects a short password.
 */
export class SecretRedactor {
  private readonly secrets: readonly string[];
  constructor(secrets: readonly (string | undefined)[]) {
    // Longest first, so a secret containing another is replaced whole.
    // Each as written and as a JSON string or a URL would carry it (`"` as `\"`, `\` as `\\`).
    const forms = secrets
      .filter((s): s is string => typeof s === "string" && s.length >= 4)
      .flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]);
    this.secrets = [...new Set(forms)].sort((a, b) => b.length - a.length);
  }
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("***");
    return out;
  }
}
