import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { gunzipSync } from "node:zlib";

/**
 * How a fake Snowflake on 127.0.0.1 answers a login request: `echo-json` refuses the login with
 * the whole request it received (body and headers) as the message, the way a hostile or buggy
 * proxy would; `echo-text` answers HTTP 400 with the request as plain text; `silent` accepts
 * the connection and never answers.
 */
export type LoginServerMode = "echo-json" | "echo-text" | "silent";

export interface LoginServer {
  readonly port: number;
  /** The passwords the server received in login requests: proof the secret was sent. */
  readonly passwords: string[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
}

function listen(server: Server): Promise<number> {
  return new Promise((ready) =>
    server.listen(0, "127.0.0.1", () => ready((server.address() as { port: number }).port)),
  );
}

/** Starts a fake Snowflake login endpoint on a free loopback port. */
export async function startLoginServer(mode: LoginServerMode): Promise<LoginServer> {
  const passwords: string[] = [];
  const sockets = new Set<Socket>();
  const server =
    mode === "silent"
      ? createTcpServer((socket) => {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
        })
      : createHttpServer(async (request, response) => {
          const body = await bodyOf(request);
          try {
            passwords.push(JSON.parse(body).data.PASSWORD);
          } catch {
            // not a login request
          }
          const echo = `${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${body}`;
          if (mode === "echo-text") {
            response.writeHead(400, { "content-type": "text/plain" }).end(echo);
            return;
          }
          response.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
              success: false,
              code: "390100",
              message: echo,
              data: { echo: body },
            }),
          );
        });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    passwords,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** A loopback port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((done) => server.close(done));
  return port;
}
