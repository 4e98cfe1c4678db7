import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file under a lake folder, by its path in the lake, with its bytes. */
export function lakeFiles(lake: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(lake, path), readFileSync(path));
    }
  };
  walk(lake);
  return files;
}

/** Whether two lake folders hold the same paths with the same bytes; the paths that differ. */
export function lakeDifferences(a: string, b: string): string[] {
  const [x, y] = [lakeFiles(a), lakeFiles(b)];
  const paths = new Set([...x.keys(), ...y.keys()]);
  return [...paths]
    .filter((p) => !x.get(p)?.equals(y.get(p) ?? Buffer.alloc(0)) || !y.has(p))
    .sort();
}
