/**
 * A loopback HTTP proxy that puts real faults in front of a real server (Azurite, the DFS test
 * server): per request, a plan answers with an error status, drops the connection, forwards
 * and then drops the response (the request landed, the client never hears), or forwards.
 */
import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { readonly kind: "forward" }
  | {
      readonly kind: "status";
      readonly status: number;
      readonly code: string;
      readonly retryAfter?: string;
    }
  /** Close the socket before sending anything: the client sees ECONNRESET. */
  | { readonly kind: "reset" }
  /** Forward, let the server act, then close the socket instead of answering. */
  | { readonly kind: "lose-response" };

export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  readonly fault: Fault["kind"];
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** `plan` gets each request and its 0-based index; it returns what to do with it. */
export async function startFaultProxy(
  target: string,
  plan: (req: IncomingMessage, index: number) => Fault,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = plan(req, requests.length);
    requests.push({ method: req.method ?? "", url: req.url ?? "", fault: fault.kind });
    if (fault.kind === "reset") {
      req.resume();
      req.socket.destroy();
      return;
    }
    if (fault.kind === "status") {
      req.resume();
      const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${fault.code}</Code><Message>injected by the fault proxy</Message></Error>`;
      res.writeHead(fault.status, {
        "Content-Type": "application/xml",
        "x-ms-error-code": fault.code,
        ...(fault.retryAfter ? { "Retry-After": fault.retryAfter } : {}),
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (fault.kind === "lose-response") {
          answer.resume();
          answer.on("end", () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => req.socket.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
