import type { LogicalType } from "../entities/index.js";

/**
 * The Snowflake column type of a logical type. `int` is 32-bit, so NUMBER(10,0) holds every
 * value; timestamps are UTC instants stored without a zone (TIMESTAMP_NTZ) so no session time
 * zone can shift them.
 * @example
 * snowflakeType({ kind: "decimal", precision: 12, scale: 2 }) // NUMBER(12,2)
 */
export function snowflakeType(type: LogicalType): string {
  switch (type.kind) {
    case "string":
      return "VARCHAR";
    case "int":
      return "NUMBER(10,0)";
    case "decimal":
      return `NUMBER(${type.precision},${type.scale})`;
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMP_NTZ";
  }
}
