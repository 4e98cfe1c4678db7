import { inspect } from "node:util";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { expect, test } from "vitest";
import { blobStore } from "../../src/lake/blob-store.js";
import { LakeWriteError } from "../../src/lake/lake-write-error.js";
import { publicUrl, redact } from "../../src/lake/redact.js";
import { AZURITE_ACCOUNT, AZURITE_KEY, useAzurite } from "../support/azurite.js";

const azurite = useAzurite(["blob"]);

test("redact removes account keys, SAS signatures, Shared Key signatures and bearer tokens, and keeps the rest", () => {
  const lines = [
    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5c2VjcmV0a2V5==;EndpointSuffix=core.windows.net",
    "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&ss=b&sig=AbC%2Fd3F%3D;QueueEndpoint=x",
    "GET https://acct.blob.core.windows.net/c/x.csv?sv=2024-08-04&se=2030-01-01&sig=AbCd3F%2B%3D&sp=r failed",
    "sig=leading",
    "redirect=https%3A%2F%2Facct%2Fc%3Fsv%3D2024%26sig%3DZZZsecret%26se%3D2030",
    "Authorization: SharedKey devstoreaccount1:QUJDREVGR0hJSktMTU5PUA==",
    "authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJzdG9yYWdlIn0.c2lnbmF0dXJl",
    "grant_type=client_credentials&client_secret=p4ss~word&client_id=abc",
    "404 BlobNotFound: The specified blob does not exist. (design=true)",
  ];
  expect(lines.map(redact)).toMatchInlineSnapshot(`
    [
      "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED];EndpointSuffix=core.windows.net",
      "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=[REDACTED];QueueEndpoint=x",
      "GET https://acct.blob.core.windows.net/c/x.csv?sv=2024-08-04&se=2030-01-01&sig=[REDACTED]&sp=r failed",
      "sig=[REDACTED]",
      "redirect=https%3A%2F%2Facct%2Fc%3Fsv%3D2024%26sig%3D[REDACTED]",
      "Authorization: SharedKey devstoreaccount1:[REDACTED]",
      "authorization: Bearer [REDACTED]",
      "grant_type=client_credentials&client_secret=[REDACTED]&client_id=abc",
      "404 BlobNotFound: The specified blob does not exist. (design=true)",
    ]
  `);
  expect(publicUrl("https://acct.blob.core.windows.net/c/x.csv?sv=1&sig=abc#frag")).toBe(
    "https://acct.blob.core.windows.net/c/x.csv",
  );
});

const SECRET_SIG = "TOPSECRETsignatureVALUE0123456789abcdefXYZ%3D";

function everythingAbout(error: unknown): string {
  return `${String(error)}\n${(error as Error).stack}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
}

test("blob on Azurite with a forged SAS: the 403 becomes a LakeWriteError, and neither it nor the store URL carries the signature", async () => {
  const log: string[] = [];
  const store = blobStore({
    container: "redact",
    credential: {
      accountUrl: azurite().blobUrl,
      sas: `?sv=2024-08-04&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=${SECRET_SIG}`,
    },
    log: (l) => log.push(l),
  });
  expect(store.url).not.toContain("sig=");
  const error = await store.put("x.csv", new Uint8Array([1])).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LakeWriteError);
  expect((error as Error).message).toMatch(/failed: put blob: 403 AuthorizationFailure/);
  expect(everythingAbout(error)).not.toContain("TOPSECRET");
  expect(log.join("\n")).not.toContain("TOPSECRET");
});

test("blob on Azurite with a wrong account key: the 403 names the store and path, never the key", async () => {
  const wrongKey = Buffer.from("this-is-not-the-azurite-key-but-a-secret-one").toString("base64");
  const store = blobStore({
    container: "redact",
    credential: {
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${wrongKey};BlobEndpoint=${azurite().blobUrl};`,
    },
  });
  const error = await store.exists("y.csv").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LakeWriteError);
  expect((error as LakeWriteError).path).toBe("y.csv");
  expect((error as Error).message).toMatch(/failed: exists: 403/);
  expect(everythingAbout(error)).not.toContain(wrongKey);
});

test("blob on Azurite with a real account SAS (token and SAS connection string): put works and the result URL has no query", async () => {
  const sas = generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 3_600_000),
      permissions: AccountSASPermissions.parse("rwdlac"),
      resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
      services: AccountSASServices.parse("b").toString(),
    },
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
  ).toString();
  const direct = blobStore({
    container: "sas",
    credential: { connectionString: azurite().connectionString },
    createContainer: true,
  });
  await direct.put("seed.csv", new Uint8Array([0]));
  const viaToken = blobStore({
    container: "sas",
    credential: { accountUrl: azurite().blobUrl, sas },
  });
  const viaConnectionString = blobStore({
    container: "sas",
    credential: {
      connectionString: `BlobEndpoint=${azurite().blobUrl};SharedAccessSignature=${sas}`,
    },
  });
  const viaUrl = blobStore({
    container: "sas",
    credential: { sasUrl: `${azurite().blobUrl}?${sas}` },
  });
  const puts = [
    await viaToken.put("a.csv", new TextEncoder().encode("a")),
    await viaConnectionString.put("b.csv", new TextEncoder().encode("b")),
    await viaUrl.put("c.csv", new TextEncoder().encode("c")),
  ];
  expect(puts.map((p) => p.url.replace(/127\.0\.0\.1:\d+/, "<host>"))).toEqual([
    "http://<host>/devstoreaccount1/sas/a.csv",
    "http://<host>/devstoreaccount1/sas/b.csv",
    "http://<host>/devstoreaccount1/sas/c.csv",
  ]);
  const names: string[] = [];
  for await (const o of viaToken.list()) names.push(o.path);
  expect(names.sort()).toEqual(["a.csv", "b.csv", "c.csv", "seed.csv"]);
});

test("a token credential that fails becomes a LakeWriteError at once, without the token", async () => {
  let calls = 0;
  const store = blobStore({
    container: "token",
    credential: {
      accountUrl: "https://retailmdsnotreal.blob.core.windows.net",
      tokenCredential: {
        getToken: async () => {
          calls++;
          throw Object.assign(
            new Error(
              "ManagedIdentityCredential: no identity endpoint (Bearer leaked.token.value)",
            ),
            {
              name: "CredentialUnavailableError",
            },
          );
        },
      },
    },
  });
  const error = await store.exists("z.csv").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LakeWriteError);
  expect(calls).toBe(1);
  expect((error as Error).message).toMatchInlineSnapshot(
    `"lake write to https://retailmdsnotreal.blob.core.windows.net/token at "z.csv" failed: exists: ManagedIdentityCredential: no identity endpoint (Bearer [REDACTED])"`,
  );
});
