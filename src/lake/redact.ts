/**
 * Secrets that can appear in Azure connection strings, SAS URLs, request dumps and SDK error
 * messages. Each pattern keeps the name and drops the value, so a redacted message still says
 * which kind of credential was involved.
 */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Connection-string parts: AccountKey=...; SharedAccessSignature=sv=..&sig=..;
  [/(AccountKey\s*=\s*)[^;\s"'<>]+/gi, "$1[REDACTED]"],
  [/(SharedAccessSignature\s*=\s*)[^;\s"'<>]+/gi, "$1[REDACTED]"],
  [/(SharedAccessKey\s*=\s*)[^;\s"'<>]+/gi, "$1[REDACTED]"],
  // SAS query parameter, in any URL or query string (also URL-encoded `sig%3D`).
  [/((?:^|[?&;\s"'(])sig=)[^&\s"'<>;]+/gi, "$1[REDACTED]"],
  [/(sig%3D)[^&\s"'<>;]+/gi, "$1[REDACTED]"],
  // Authorization header values: Shared Key signatures and bearer tokens.
  [/(SharedKey(?:Lite)?\s+[^:\s]+:)[^\s"',<>]+/gi, "$1[REDACTED]"],
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[REDACTED]"],
  // Service principal secrets, should one ever be echoed back.
  [/(client_secret=)[^&\s"'<>]+/gi, "$1[REDACTED]"],
];

/**
 * Removes account keys, SAS signatures, Shared Key signatures and bearer tokens from a text.
 * Every error message and log line the Azure stores produce goes through it.
 * @example
 * redact("AccountName=a;AccountKey=abc==;EndpointSuffix=core.windows.net");
 * // "AccountName=a;AccountKey=[REDACTED];EndpointSuffix=core.windows.net"
 */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A URL with its query string and fragment removed: what the stores put in `PutResult.url`,
 * store URLs and events, so that a SAS token given as credential never travels with a path.
 * @example
 * publicUrl("https://a.blob.core.windows.net/c/x.csv?sv=2024&sig=abc"); // "https://a.blob.core.windows.net/c/x.csv"
 */
export function publicUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
