/**
 * Starts real Azurite (the npm package, pinned to 3.35.x) for tests: one child process per
 * service asked for (blob, queue; never table), each on a free loopback port chosen by the OS,
 * with a temp workspace removed on stop. Shared by the lake, local-pipe and Azure Function tests.
 *
 *   const azurite = useAzurite(["blob", "queue"]); // registers beforeAll/afterAll
 *   test("...", () => { azurite().connectionString ... });
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** Azurite's well-known development account; the key is public (Azurite's README). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export type AzuriteService = "blob" | "queue";

export interface AzuriteOptions {
  /**
   * Serve HTTPS with a self-signed certificate for 127.0.0.1 (made with openssl in the workspace)
   * and accept Entra ID bearer tokens (`--oauth basic`: Azurite checks issuer, audience and
   * lifetime, not the signature). Clients must trust the certificate, e.g. with
   * NODE_TLS_REJECT_UNAUTHORIZED=0 in a test process that talks only to loopback.
   */
  readonly oauth?: boolean;
}

export interface Azurite {
  /** `http://127.0.0.1:<port>/devstoreaccount1`, when blob was started. */
  readonly blobUrl: string;
  /** `http://127.0.0.1:<port>/devstoreaccount1`, when queue was started. */
  readonly queueUrl: string;
  /** Account connection string naming every started endpoint. */
  readonly connectionString: string;
  /** The temp workspace (`--location`). */
  readonly location: string;
  stop(): Promise<void>;
}

const azuriteRoot = dirname(createRequire(import.meta.url).resolve("azurite/package.json"));

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

function startService(
  service: AzuriteService,
  location: string,
  tls: readonly string[],
): Promise<Running> {
  const main = join(azuriteRoot, "dist", "src", service, "main.js");
  const child = spawn(
    process.execPath,
    [
      main,
      "--disableTelemetry",
      "--loose",
      "--skipApiVersionCheck",
      "--silent",
      "--location",
      location,
      `--${service}Host`,
      "127.0.0.1",
      `--${service}Port`,
      "0",
      ...tls,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`azurite ${service} did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Azurite prints the port the OS gave it for `--<service>Port 0`.
      const m = /successfully (?:listening at|listens on) https?:\/\/127\.0\.0\.1:(\d+)/.exec(
        output,
      );
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite ${service} exited with code ${code} before listening:\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts Azurite with the given services on free loopback ports. */
export async function startAzurite(
  services: readonly AzuriteService[] = ["blob", "queue"],
  options: AzuriteOptions = {},
): Promise<Azurite> {
  const location = await mkdtemp(join(tmpdir(), "retail-mds-azurite-"));
  const running = new Map<AzuriteService, Running>();
  const tls = options.oauth ? selfSignedCertificate(location) : [];
  const scheme = options.oauth ? "https" : "http";
  try {
    for (const service of services)
      running.set(service, await startService(service, location, tls));
  } catch (e) {
    await Promise.all([...running.values()].map((r) => stopChild(r.child)));
    await rm(location, { recursive: true, force: true });
    throw e;
  }
  const url = (service: AzuriteService) => {
    const r = running.get(service);
    return r ? `${scheme}://127.0.0.1:${r.port}/${AZURITE_ACCOUNT}` : "";
  };
  const blobUrl = url("blob");
  const queueUrl = url("queue");
  const connectionString = [
    `DefaultEndpointsProtocol=${scheme}`,
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_KEY}`,
    blobUrl && `BlobEndpoint=${blobUrl}`,
    queueUrl && `QueueEndpoint=${queueUrl}`,
  ]
    .filter(Boolean)
    .join(";");
  return {
    blobUrl,
    queueUrl,
    connectionString: `${connectionString};`,
    location,
    async stop() {
      await Promise.all([...running.values()].map((r) => stopChild(r.child)));
      await rm(location, { recursive: true, force: true });
    },
  };
}

/** Starts Azurite in `beforeAll` and stops it in `afterAll`; call the result inside tests. */
export function useAzurite(
  services: readonly AzuriteService[] = ["blob", "queue"],
  options: AzuriteOptions = {},
): () => Azurite {
  let azurite: Azurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite(services, options);
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite)
      throw new Error(
        "Azurite is not running: call useAzurite() at the top level of the test file",
      );
    return azurite;
  };
}

/** A throwaway certificate for 127.0.0.1, valid one day, and the Azurite flags that use it. */
function selfSignedCertificate(location: string): string[] {
  const cert = join(location, "cert.pem");
  const key = join(location, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return ["--cert", cert, "--key", key, "--oauth", "basic"];
}
