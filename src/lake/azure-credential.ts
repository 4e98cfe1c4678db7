import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { QueueServiceClient } from "@azure/storage-queue";

/**
 * How the Azure stores and the queue sink authenticate. Pick one:
 * - `{ connectionString }`: an account connection string (`AccountName=..;AccountKey=..`) or a SAS
 *   connection string (`BlobEndpoint=..;SharedAccessSignature=..`);
 * - `{ accountUrl, sas }`: the service URL and a SAS token (with or without the leading `?`);
 * - `{ sasUrl }`: the service URL with the SAS token as its query string;
 * - `{ accountUrl }`: Microsoft Entra ID through `DefaultAzureCredential` (managed identity,
 *   workload identity, environment, Azure CLI...), or through `tokenCredential` when given.
 * None of these values is ever logged or put in an error message.
 */
export type AzureCredential =
  | { readonly connectionString: string }
  | { readonly accountUrl: string; readonly sas: string }
  | { readonly sasUrl: string }
  | { readonly accountUrl: string; readonly tokenCredential?: TokenCredential };

/**
 * The stores retry with their own policy (`withRetry`), so the SDK's retry is turned off:
 * one policy, one place to test it, and no multiplication of attempts.
 */
const SDK_OPTIONS = { retryOptions: { maxTries: 1 } } as const;

function sasQuery(sas: string): string {
  return sas.startsWith("?") ? sas.slice(1) : sas;
}

function withQuery(url: string, query: string): string {
  const base = url.endsWith("/") ? url.slice(0, -1) : url;
  return `${base}?${query}`;
}

function tokenOf(credential: { readonly tokenCredential?: TokenCredential }): TokenCredential {
  return credential.tokenCredential ?? new DefaultAzureCredential();
}

/**
 * A Blob service client for a credential, with the SDK's own retries off.
 * @example
 * const service = blobServiceClient({ connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING! });
 */
export function blobServiceClient(credential: AzureCredential): BlobServiceClient {
  if ("connectionString" in credential)
    return BlobServiceClient.fromConnectionString(credential.connectionString, SDK_OPTIONS);
  if ("sasUrl" in credential)
    return new BlobServiceClient(credential.sasUrl, undefined, SDK_OPTIONS);
  if ("sas" in credential)
    return new BlobServiceClient(
      withQuery(credential.accountUrl, sasQuery(credential.sas)),
      undefined,
      SDK_OPTIONS,
    );
  return new BlobServiceClient(credential.accountUrl, tokenOf(credential), SDK_OPTIONS);
}

/**
 * A Data Lake (DFS) service client for a credential; a blob endpoint URL is mapped to its dfs twin.
 * @example
 * const service = dataLakeServiceClient({ accountUrl: "https://acct.dfs.core.windows.net" });
 */
export function dataLakeServiceClient(credential: AzureCredential): DataLakeServiceClient {
  if ("connectionString" in credential)
    return DataLakeServiceClient.fromConnectionString(credential.connectionString, SDK_OPTIONS);
  if ("sasUrl" in credential)
    return new DataLakeServiceClient(credential.sasUrl, undefined, SDK_OPTIONS);
  if ("sas" in credential) {
    return new DataLakeServiceClient(
      withQuery(credential.accountUrl, sasQuery(credential.sas)),
      undefined,
      SDK_OPTIONS,
    );
  }
  return new DataLakeServiceClient(credential.accountUrl, tokenOf(credential), SDK_OPTIONS);
}

/**
 * A Queue service client for a credential, with the SDK's own retries off.
 * @example
 * const queues = queueServiceClient({ accountUrl: "https://acct.queue.core.windows.net", sas: "sv=..." });
 */
export function queueServiceClient(credential: AzureCredential): QueueServiceClient {
  if ("connectionString" in credential)
    return QueueServiceClient.fromConnectionString(credential.connectionString, SDK_OPTIONS);
  if ("sasUrl" in credential)
    return new QueueServiceClient(credential.sasUrl, undefined, SDK_OPTIONS);
  if ("sas" in credential)
    return new QueueServiceClient(
      withQuery(credential.accountUrl, sasQuery(credential.sas)),
      undefined,
      SDK_OPTIONS,
    );
  return new QueueServiceClient(credential.accountUrl, tokenOf(credential), SDK_OPTIONS);
}
