import type { TimeWindow } from "../entities/index.js";

/** Why a record was kept out of the lake: the rule that failed, the field and a message. */
export interface RejectionReason {
  readonly rule: string;
  readonly field?: string;
  readonly message: string;
}

/** A record kept out of the lake, with everything needed to find and fix it. */
export interface RejectedRecord {
  readonly entity: string;
  /** 1-based position of the record in the stream (or file) it came from. */
  readonly row: number;
  readonly record: unknown;
  readonly reasons: readonly RejectionReason[];
  readonly window?: TimeWindow;
  /** The file the record was read from, when it came from one. */
  readonly file?: string;
}

/** Receives rejected records. Nothing is silently dropped: without a sink, the writer throws. */
export interface QuarantineSink {
  reject(records: readonly RejectedRecord[]): Promise<void>;
}
