import type { Store } from "../entities/index.js";

/** The store formats, as the `store.format` column spells them. */
export type StoreFormat = Store["format"];

/** How a store format trades: size, footfall, opening hours, baskets and customers. */
export interface FormatProfile {
  readonly format: StoreFormat;
  readonly channel: "store" | "web" | "drive";
  /** Sales area range in m2; null for the web shop. */
  readonly surface: readonly [number, number] | null;
  /** Tickets on an average day, before weekday, season and noise. */
  readonly tickets: number;
  /** Mean lines per ticket. */
  readonly lines: number;
  /** Opening hours [open, close) in local hours, Monday-Saturday and Sunday (null: closed). */
  readonly hours: readonly [number, number];
  readonly sundayHours: readonly [number, number] | null;
  /** Share of tickets carrying a loyalty card. */
  readonly identified: number;
  /** Share of the chain's assortment this format carries. */
  readonly assortment: number;
  /** Supplier lead time in days for non-perishables. */
  readonly leadTime: number;
  readonly payments: readonly (readonly [string, number])[];
}

const STORE_PAYMENTS = [
  ["card", 0.62],
  ["cash", 0.2],
  ["mobile", 0.13],
  ["gift_card", 0.05],
] as const;
const REMOTE_PAYMENTS = [
  ["card", 0.66],
  ["paypal", 0.18],
  ["mobile", 0.12],
  ["gift_card", 0.04],
] as const;

export const FORMATS: Readonly<Record<StoreFormat, FormatProfile>> = {
  hypermarket: {
    format: "hypermarket",
    channel: "store",
    surface: [6000, 14000],
    tickets: 2400,
    lines: 11,
    hours: [8.5, 21.5],
    sundayHours: [9, 13],
    identified: 0.6,
    assortment: 1,
    leadTime: 3,
    payments: STORE_PAYMENTS,
  },
  supermarket: {
    format: "supermarket",
    channel: "store",
    surface: [900, 2800],
    tickets: 1200,
    lines: 7,
    hours: [8, 20.5],
    sundayHours: [9, 13],
    identified: 0.58,
    assortment: 0.8,
    leadTime: 2,
    payments: STORE_PAYMENTS,
  },
  convenience: {
    format: "convenience",
    channel: "store",
    surface: [120, 400],
    tickets: 700,
    lines: 3,
    hours: [7, 22],
    sundayHours: [8, 20],
    identified: 0.45,
    assortment: 0.35,
    leadTime: 1,
    payments: STORE_PAYMENTS,
  },
  drive: {
    format: "drive",
    channel: "drive",
    surface: [600, 1500],
    tickets: 260,
    lines: 22,
    hours: [8, 21],
    sundayHours: null,
    identified: 0.92,
    assortment: 0.7,
    leadTime: 2,
    payments: REMOTE_PAYMENTS,
  },
  online: {
    format: "online",
    channel: "web",
    surface: null,
    tickets: 900,
    lines: 9,
    hours: [0, 24],
    sundayHours: [0, 24],
    identified: 0.95,
    assortment: 0.9,
    leadTime: 2,
    payments: REMOTE_PAYMENTS,
  },
};

/** The format of the store at `index`: a chain mix weighted towards supermarkets. */
export function formatOfIndex(index: number, stores: number): StoreFormat {
  if (stores > 4 && index === stores - 1) return "online";
  if (stores > 6 && index % 7 === 5) return "drive";
  const cycle: readonly StoreFormat[] = [
    "hypermarket",
    "supermarket",
    "convenience",
    "supermarket",
    "convenience",
    "supermarket",
    "supermarket",
  ];
  return cycle[index % cycle.length] as StoreFormat;
}
