import type { Command } from "./command.js";

// Placeholder until its issue lands: the command is listed but says it is not built yet.
export const command: Command = {
  summary: "(not built yet)",
  async run() {
    console.error("retail-mds load: not built yet");
    return 1;
  },
};
