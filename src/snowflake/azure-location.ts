import { DdlError } from "./ddl-error.js";

/** A folder in Azure Blob Storage or ADLS Gen2, as Snowflake addresses it. */
export interface AzureLocation {
  /** Storage account name: 3-24 lower-case letters and digits. */
  readonly account: string;
  /** Container (file system) name. */
  readonly container: string;
  /** Folder inside the container, without leading or trailing slash; empty for its root. */
  readonly path?: string;
}

const ACCOUNT = /^[a-z0-9]{3,24}$/;
const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const PATH_SEGMENT = /^[A-Za-z0-9_.=-]+$/;
const URL = /^azure:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9-]{3,63})\/(.*)$/;

/**
 * The `azure://<account>.blob.core.windows.net/<container>/<path>/` URL of a folder. Every
 * part is checked, so the URL needs no escaping inside a string literal.
 * @example
 * azureUrl({ account: "retaillake", container: "lake", path: "v1" })
 * // azure://retaillake.blob.core.windows.net/lake/v1/
 */
export function azureUrl(location: AzureLocation): string {
  const { account, container, path = "" } = location;
  if (!ACCOUNT.test(account)) {
    throw new DdlError("a storage account name is 3-24 lower-case letters and digits", {
      object: "azure location",
      name: account,
      field: "account",
    });
  }
  if (!CONTAINER.test(container)) {
    throw new DdlError("a container name is 3-63 lower-case letters, digits and single dashes", {
      object: "azure location",
      name: container,
      field: "container",
    });
  }
  const segments = path.split("/").filter((s) => s !== "");
  for (const segment of segments) {
    if (!PATH_SEGMENT.test(segment) || segment === "." || segment === "..") {
      throw new DdlError("a path segment is letters, digits, _ . = - (no . or .. segments)", {
        object: "azure location",
        name: path,
        field: "path",
      });
    }
  }
  return `azure://${account}.blob.core.windows.net/${container}/${segments.map((s) => `${s}/`).join("")}`;
}

/** Reads an `azure://` folder URL back, or throws a DdlError naming `field`. */
export function parseAzureUrl(url: string, field = "url"): AzureLocation {
  const m = URL.exec(url);
  if (!m || !url.endsWith("/")) {
    throw new DdlError(
      "expected azure://<account>.blob.core.windows.net/<container>/<path>/ ending with a slash",
      { object: "azure location", name: url, field },
    );
  }
  const location = {
    account: m[1] as string,
    container: m[2] as string,
    path: (m[3] as string).replace(/\/$/, ""),
  };
  if (azureUrl(location) !== url) {
    throw new DdlError("the URL is not in canonical form", {
      object: "azure location",
      name: url,
      field,
    });
  }
  return location;
}

/** Whether `url` is `allowed` or a folder below it (allowed locations are folder prefixes). */
export function isWithin(url: string, allowed: string): boolean {
  return url.startsWith(allowed.endsWith("/") ? allowed : `${allowed}/`) || url === allowed;
}
