/**
 * Child process for crash tests: puts one large file through a lake store and exits. The test
 * kills it in the middle of the upload. Config from the environment (test-only values).
 */
import { adlsStore } from "../../src/lake/adls-store.js";
import { blobStore } from "../../src/lake/blob-store.js";

const { STORE_KIND, CONNECTION_STRING, CONTAINER, OBJECT_PATH, BODY_BYTES } = process.env;
const credential = { connectionString: CONNECTION_STRING ?? "" };
const chunk = 64 * 1024;
const store =
  STORE_KIND === "adls"
    ? adlsStore({ fileSystem: CONTAINER ?? "", credential, appendBytes: chunk })
    : blobStore({
        container: CONTAINER ?? "",
        credential,
        singleUploadMaxBytes: chunk,
        blockBytes: chunk,
        blockConcurrency: 1,
      });
const body = new Uint8Array(Number(BODY_BYTES)).fill(7);
await store.put(OBJECT_PATH ?? "", body);
process.stdout.write("published\n");
