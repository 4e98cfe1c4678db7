import { app } from "@azure/functions";
import { readSettings } from "../settings.js";
import { createTickHandler } from "../tick-handler.js";

// Settings are read when the worker loads this file: a bad app setting fails the start-up, in
// the portal's function list, rather than every five minutes.
const settings = readSettings(process.env);

app.timer("tick", {
  schedule: settings.RETAIL_MDS_TICK_SCHEDULE,
  // A tick that fails is retried by the host (host.json `retry`); windows are deterministic.
  handler: createTickHandler({ settings }),
});
