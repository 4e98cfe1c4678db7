/**
 * Legacy flat files onboarded declaratively: `defineLegacyLayout` describes one real file
 * (delimited or fixed-width, its encoding, control records, code maps, derived columns) and maps
 * it onto an entity; `readLegacyFile` reads it into records and rejects, `writeLegacyFile` writes
 * records back in that layout.
 * @module
 */

export { formatLegacyCheck, rejectsByReason } from "./check-report.js";
export {
  type DefectKindScore,
  type DefectScore,
  formatDefectScore,
  scoreDefects,
} from "./defect-score.js";
export {
  type DefineLayoutOptions,
  defineLegacyLayout,
  type LayoutRecord,
  type LegacyLayout,
  LegacyLayoutError,
} from "./define-legacy-layout.js";
export {
  type LandedFile,
  LEGACY_RAW_FOLDER,
  landLegacyFile,
  legacyRawNameProblem,
  legacyRawPath,
  parseLegacyRawPath,
} from "./land-legacy-file.js";
export {
  createLayoutFeed,
  LAYOUT_DEFECT_KINDS,
  type LayoutDefect,
  type LayoutDefectKind,
  type LayoutFeed,
  type LayoutFeedOptions,
  type LayoutFile,
} from "./layout-feed.js";
export {
  createLayoutFeedWriter,
  type LandedLayoutFile,
  type LayoutFeedLanding,
  type LayoutFeedResult,
  publishLayoutManifest,
} from "./layout-feed-writer.js";
export type {
  ColumnMapping,
  Condition,
  ControlCheck,
  Encoding,
  LayoutDefinition,
  NumberFormat,
  Parser,
  SourceField,
  Transform,
} from "./layout-schema.js";
export { layoutDefinitionSchema } from "./layout-schema.js";
export { legacyCsvLayout } from "./legacy-csv-layout.js";
export { isLegacyLayout, loadLegacyLayout } from "./load-legacy-layout.js";
export {
  LegacyFileError,
  type RawLegacyLine,
  rawLegacyLines,
} from "./raw-legacy-lines.js";
export {
  type ControlResult,
  type FileRejection,
  type LegacyFileStats,
  type LegacyReadResult,
  type LegacyReject,
  type LegacyScanEvent,
  readLegacyFile,
  scanLegacyFile,
} from "./read-legacy-file.js";
export { type SniffedField, type SniffResult, sniffLegacyFile } from "./sniff-legacy-file.js";
export { decodeLine, decodeLineLossy, EncodingError, encodeText } from "./text-encoding.js";
export { type UnregisteredLayout, unregisteredLayoutMessage } from "./unregistered-layout.js";
export {
  type ControlFields,
  createLegacyWriter,
  type FileLine,
  LegacyWriteError,
  type LegacyWriter,
  type LegacyWriterOptions,
  writeLegacyFile,
} from "./write-legacy-file.js";
