import type { Entity } from "../entities/index.js";
import { defineLegacyLayout, type LegacyLayout } from "./define-legacy-layout.js";

/**
 * The legacy CSV feed the generator has always written, as a layout: comma separated, UTF-8,
 * CRLF, a header of the entity's own column names, every value in its canonical text.
 * @example
 * readLegacyFile(legacyCsvLayout(saleLine), bytes);
 */
export function legacyCsvLayout(entity: Entity): LegacyLayout {
  return defineLegacyLayout(
    {
      name: `legacy_csv_${entity.name}`,
      description: `The generator's legacy CSV feed of ${entity.name}.`,
      entity: entity.name,
      encoding: "utf-8",
      lineEnding: "crlf",
      format: {
        kind: "delimited",
        delimiter: ",",
        header: true,
        fields: entity.columns.map((c) => c.name),
      },
      columns: Object.fromEntries(entity.columns.map((c) => [c.name, { field: c.name }])),
    },
    { entities: { [entity.name]: entity } },
  );
}
