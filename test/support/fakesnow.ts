import { afterAll, beforeAll } from "vitest";
import { connectionFromEnv, SnowflakeExecutor } from "../../src/snowflake/index.js";
import { spawnFakesnow } from "./fakesnow-process.js";

/**
 * fakesnow 0.11 in server mode answers every query in Arrow, which the Python connector reads
 * but snowflake-sdk for Node does not (Snowflake answers Node clients in JSON). This launcher
 * keeps fakesnow's server as is and re-encodes its Arrow answers as Snowflake's JSON result
 * format (values as text: NUMBER as decimal text, DATE as days since epoch, TIMESTAMP_* as
 * epoch seconds with 9 decimals, BOOLEAN as 1/0), so the real Node driver parses them.
 */
const LAUNCHER = `
import datetime, decimal, importlib, json, sys
import fakesnow
start = fakesnow.server  # the function; importing the submodule below shadows the name
srv = importlib.import_module("fakesnow.server")

_last = {}
_to_sf = srv.to_sf
def to_sf(table, rowtype):
    _last["table"] = table
    return _to_sf(table, rowtype)
srv.to_sf = to_sf

EPOCH = datetime.datetime(1970, 1, 1)
def enc(v, t):
    if v is None: return None
    k = t["type"]
    if k == "boolean": return "1" if v else "0"
    if k == "fixed":
        if isinstance(v, decimal.Decimal): return format(v, "f")
        return str(v)
    if k == "real": return repr(float(v))
    if k == "date": return str((v - datetime.date(1970, 1, 1)).days)
    if k in ("timestamp_ntz", "timestamp_ltz", "timestamp_tz"):
        if v.tzinfo is not None:
            off = v.utcoffset()
            v = v.replace(tzinfo=None) - off
        else:
            off = None
        us = (v - EPOCH) // datetime.timedelta(microseconds=1)
        s, frac = divmod(us, 1_000_000)
        text = f"{s}.{frac:06d}000"
        if k == "timestamp_tz": text += f" {int((off or datetime.timedelta()).total_seconds() // 60) + 1440}"
        return text
    if k == "time":
        return f"{v.hour * 3600 + v.minute * 60 + v.second}.{v.microsecond:06d}000"
    if k == "binary": return v.hex()
    if isinstance(v, (dict, list)): return json.dumps(v)
    return str(v)

class JSONResponse(srv.JSONResponse):
    def __init__(self, content, *a, **kw):
        data = content.get("data") if isinstance(content, dict) else None
        if isinstance(data, dict) and data.get("queryResultFormat") == "arrow":
            table = _last.pop("table", None)
            rowtype = data.get("rowtype") or []
            rows = []
            if table is not None and data.get("rowsetBase64"):
                cols = [c.to_pylist() for c in table.columns]
                rows = [[enc(v, rowtype[i]) for i, v in enumerate(r)] for r in zip(*cols)]
            data.pop("rowsetBase64", None)
            data["queryResultFormat"] = "json"
            data["rowset"] = rows
            data["total"] = len(rows)
            data["returned"] = len(rows)
        elif isinstance(data, dict) and isinstance(data.get("rowset"), list):
            # DML answers: the Node driver reads only "returned" rows, which fakesnow omits.
            data.setdefault("returned", len(data["rowset"]))
        super().__init__(content, *a, **kw)
srv.JSONResponse = JSONResponse

with start(port=int(sys.argv[1]) if len(sys.argv) > 1 else None) as kwargs:
    print(json.dumps({"host": kwargs["host"], "port": kwargs["port"]}), flush=True)
    # Stop when the test process closes stdin (or dies).
    sys.stdin.read()
`;

/** A running fakesnow server and how to reach it. */
export interface FakeSnow {
  readonly host: string;
  readonly port: number;
  /** Environment variables that point the executor at this server. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts fakesnow (from `.venv`) on a free loopback port; resolves when it listens. */
export async function startFakeSnow(): Promise<FakeSnow> {
  // The launcher prints its address as one JSON line once the server listens.
  const { child, ...address } = await spawnFakesnow(
    ["-c", LAUNCHER],
    /\{"host": "(?<host>[^"]+)", "port": (?<port>\d+)\}/,
    "pipe",
  );
  return {
    ...address,
    env: {
      SNOWFLAKE_ACCOUNT: "fakesnow",
      SNOWFLAKE_USER: "fake",
      SNOWFLAKE_PASSWORD: "snow-secret-password",
      SNOWFLAKE_HOST: address.host,
      SNOWFLAKE_PORT: String(address.port),
      SNOWFLAKE_PROTOCOL: "http",
    },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.stdin?.end();
        setTimeout(() => child.kill("SIGTERM"), 2000).unref();
      }),
  };
}

/**
 * For the tests of one file: a fakesnow server and a SnowflakeExecutor connected to it, started
 * before them and closed after them. Read its fields inside the tests (they are set by then).
 */
export function fakeSnowForFile(): {
  readonly fake: FakeSnow;
  readonly executor: SnowflakeExecutor;
} {
  const snow: { fake?: FakeSnow; executor?: SnowflakeExecutor } = {};
  beforeAll(async () => {
    snow.fake = await startFakeSnow();
    snow.executor = await SnowflakeExecutor.connect(connectionFromEnv(snow.fake.env));
  });
  afterAll(async () => {
    await snow.executor?.close();
    await snow.fake?.stop();
  });
  return snow as { readonly fake: FakeSnow; readonly executor: SnowflakeExecutor };
}
