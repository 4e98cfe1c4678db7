import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { localStore } from "../../src/lake/index.js";
import { encodeText, landLegacyFile } from "../../src/legacy/index.js";
import { cli, tempDir } from "../integrity/run-cli.js";

// Tried as a user from the tarball: `legacy land .caisse.csv` said "landed", under a name the
// local pipe and the Snowflake pipe both skip (dot-files are publish temps), so the file never
// loaded; a name with a newline failed in the store with exit 1 after the check. Both are bad
// input: exit 2 before anything lands, naming the file and what to do.

const caisse = encodeText(
  "N° ticket;Date vente;Magasin;Code article;Libellé;Type ligne;Carte fidélité;Qté;Prix unitaire TTC;Remise;Montant TTC;Montant TVA;Règlement;Canal\r\n" +
    "S001-20261101-000043;01/11/2026 09:41;S001;125;Eau;VTE;;3;0,45;0,15;1,20;0,06;ESP;MAG\r\n" +
    "FIN;1;1,20\r\n",
  "windows-1252",
);

test("land refuses a file name the pipes would never load, before landing any file", () => {
  const dir = tempDir("land-names");
  writeFileSync(join(dir, "layout.json"), JSON.stringify(posFr.definition));
  for (const name of ["ok.csv", ".caisse.csv", "nl\nname.csv"])
    writeFileSync(join(dir, name), caisse);
  const land = (...files: string[]) =>
    cli(["legacy", "land", "--layout", "layout.json", "--lake", "lake", ...files], {
      cwd: dir,
      dir,
    });
  const runs = [land("ok.csv", ".caisse.csv"), land("nl\nname.csv")];
  expect(runs.map((r) => r.code)).toEqual([2, 2]);
  expect(runs.map((r) => r.stderr)).toMatchInlineSnapshot(`
    [
      "retail-mds: legacy land: ".caisse.csv": a file name starting with "." is never loaded (the pipes skip dot-files, the temporary files of a publish): rename it",
      "retail-mds: legacy land: "nl\\nname.csv": store path "legacy_raw/pos_fr_sale_line/nl\\nname.csv" contains a control character: rename it",
    ]
  `);
  expect(existsSync(join(dir, "lake"))).toBe(false);
  const ok = land("ok.csv");
  expect(ok.code).toBe(0);
  expect(readdirSync(join(dir, "lake", "legacy_raw", "pos_fr_sale_line"))).toEqual(["ok.csv"]);
});

test("landLegacyFile refuses a dot-named file too, naming it", async () => {
  const lake = tempDir("land-names-lib");
  await expect(landLegacyFile(localStore(lake), posFr, "in/.caisse.csv", caisse)).rejects.toThrow(
    '"in/.caisse.csv": a file name starting with "." is never loaded',
  );
  expect(readdirSync(lake)).toEqual([]);
});
