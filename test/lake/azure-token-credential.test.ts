import type { AccessToken, TokenCredential } from "@azure/identity";
import { expect, test } from "vitest";
import { blobStore } from "../../src/lake/blob-store.js";
import { LakeWriteError } from "../../src/lake/lake-write-error.js";
import { useAzurite } from "../support/azurite.js";

// Azurite's self-signed certificate; this test process talks to 127.0.0.1 only.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

const azurite = useAzurite(["blob"], { oauth: true });

/** An unsigned JWT with the claims Azurite's basic OAuth checks (issuer, audience, iat, nbf, exp). */
function fakeEntraToken(audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    part({ typ: "JWT", alg: "RS256" }),
    part({
      aud: audience,
      iss: "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      oid: "tester",
    }),
    "c2lnbmF0dXJl",
  ].join(".");
}

function tokenCredential(audience: string, scopes: string[][]): TokenCredential {
  return {
    getToken: async (requested): Promise<AccessToken> => {
      scopes.push([requested].flat());
      return { token: fakeEntraToken(audience), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

test("blob on Azurite over HTTPS with an Entra ID token credential (the DefaultAzureCredential path): put, list, get", async () => {
  const scopes: string[][] = [];
  const store = blobStore({
    container: "token",
    credential: {
      accountUrl: azurite().blobUrl,
      tokenCredential: tokenCredential("https://storage.azure.com", scopes),
    },
    createContainer: true,
  });
  const put = await store.put("p/a.csv", new TextEncoder().encode("a,b\n"));
  expect(put.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/token\/p\/a\.csv$/);
  const names: string[] = [];
  for await (const o of store.list("p/")) names.push(o.path);
  expect(names).toEqual(["p/a.csv"]);
  expect(Buffer.from(await store.get("p/a.csv")).toString()).toBe("a,b\n");
  expect(new Set(scopes.flat())).toEqual(new Set(["https://storage.azure.com/.default"]));
});

test("blob on Azurite over HTTPS with a token for another audience: a permanent 403, one request, no token in the error", async () => {
  const scopes: string[][] = [];
  const audience = "https://management.azure.com";
  const store = blobStore({
    container: "token",
    credential: {
      accountUrl: azurite().blobUrl,
      tokenCredential: tokenCredential(audience, scopes),
    },
  });
  const error = await store.exists("p/a.csv").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LakeWriteError);
  expect((error as Error).message).toMatch(/failed: exists: 403/);
  expect(scopes).toHaveLength(1);
  expect(JSON.stringify(error) + String(error)).not.toContain(
    fakeEntraToken(audience).split(".")[1],
  );
});
