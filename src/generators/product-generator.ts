import { fromUnits, type Product } from "../entities/index.js";
import { daysBefore } from "./calendar.js";
import { PURPOSE, streamFor } from "./prng.js";
import { BRANDS, CATEGORIES, type Category, PACK_SIZES } from "./reference-data.js";
import type { SimulationConfig } from "./simulation-config.js";

/** A product as the simulation sees it: its record, price in cents and VAT in basis points. */
export interface ProductModel {
  readonly index: number;
  readonly record: Product;
  /** `record.sku` and `record.list_price`, without building the rest of the record. */
  readonly sku: string;
  readonly listPrice: string;
  readonly category: Category;
  /** Shelf price including VAT, in cents. */
  readonly price: number;
  /** VAT rate in 1/10000 (decimal(5,4) units). */
  readonly vat: number;
  readonly perishable: boolean;
  /** Zipf popularity weight: 1 for the best seller, 1/(rank+1)^0.75 for the others. */
  readonly popularity: number;
  /** Units per supplier case: orders are whole cases. */
  readonly casePack: number;
}

/** Zipf exponent of product popularity; below 1 so the head is strong but not absurd. */
export const ZIPF_EXPONENT = 0.75;

/** SKU of the product at `index` (0-based): `P000001`. */
export function skuOf(index: number): string {
  return `P${String(index + 1).padStart(6, "0")}`;
}

/**
 * The assortment: categories by weight, prices log-uniform within the category band and ending
 * in 9, costs at a 20-45% margin, popularity by a seeded Zipf rank.
 * @example
 * generateProducts({ seed: 1, products: 10, from: "2026-11-01" }).length; // 10
 */
export function generateProducts(
  config: Pick<SimulationConfig, "seed" | "products" | "from">,
): ProductModel[] {
  const ranks = popularityRanks(config.seed, config.products);
  const models: ProductModel[] = [];
  for (let i = 0; i < config.products; i++) {
    const popularity = 1 / ((ranks[i] as number) + 1) ** ZIPF_EXPONENT;
    models.push(new AssortedProduct(i, popularity, config));
  }
  return models;
}

const TOTAL_WEIGHT = CATEGORIES.reduce((sum, c) => sum + c.weight, 0);

/** A product's own draws, from its stream (seed, product, index), in the stream's order. */
interface ProductDraws {
  readonly category: Category;
  readonly price: number;
  readonly cost: number;
  readonly brand: number;
  readonly noun: number;
  readonly pack: number;
  readonly casePack: number;
  readonly subcategory: number;
  readonly launched: number;
}

function drawProduct(seed: number, index: number): ProductDraws {
  const rng = streamFor(seed, PURPOSE.product, index);
  let pick = rng.float() * TOTAL_WEIGHT;
  let category = CATEGORIES[0] as Category;
  for (const c of CATEGORIES) {
    category = c;
    pick -= c.weight;
    if (pick < 0) break;
  }
  const logPrice =
    Math.log(category.minPrice) +
    rng.float() * (Math.log(category.maxPrice) - Math.log(category.minPrice));
  const price = Math.max(9, Math.floor(Math.exp(logPrice) / 10) * 10 + 9);
  const margin = 0.2 + rng.float() * 0.25;
  const cost = Math.round(((price * 10_000) / (10_000 + category.vat)) * (1 - margin));
  const brand = rng.int(BRANDS.length);
  const noun = rng.int(category.nouns.length);
  const pack = rng.int(PACK_SIZES.length);
  const casePack = category.perishable ? rng.pick(FRESH_CASES) : rng.pick(SHELF_CASES);
  const subcategory = rng.int(category.subcategories.length);
  const launched = rng.between(14, 3000);
  return { category, price, cost, brand, noun, pack, casePack, subcategory, launched };
}

const FRESH_CASES = [4, 6, 10] as const;
const SHELF_CASES = [6, 12, 24] as const;

/**
 * A product whose draws are made on first use: a resumed simulation's first window reads the
 * popularity of every SKU (to pick them) but the price and the rest of the SKUs it sells only,
 * and a new simulation building all 2 000 was most of its creation.
 */
class AssortedProduct implements ProductModel {
  private drawn: ProductDraws | undefined;
  private built: Product | undefined;
  private skuText: string | undefined;
  private priceText: string | undefined;

  constructor(
    readonly index: number,
    readonly popularity: number,
    private readonly config: Pick<SimulationConfig, "seed" | "from">,
  ) {}

  private get draws(): ProductDraws {
    this.drawn ??= drawProduct(this.config.seed, this.index);
    return this.drawn;
  }

  get category(): Category {
    return this.draws.category;
  }

  get price(): number {
    return this.draws.price;
  }

  get vat(): number {
    return this.draws.category.vat;
  }

  get perishable(): boolean {
    return this.draws.category.perishable;
  }

  get casePack(): number {
    return this.draws.casePack;
  }

  // A sale line or a movement reads two fields of its product: a resumed instance's first
  // window then builds them for the SKUs it sells, not whole records.
  get sku(): string {
    this.skuText ??= skuOf(this.index);
    return this.skuText;
  }

  get listPrice(): string {
    this.priceText ??= fromUnits(this.price, 2);
    return this.priceText;
  }

  get record(): Product {
    if (this.built) return this.built;
    const { category, ...draws } = this.draws;
    const brand = BRANDS[draws.brand] as string;
    this.built = {
      sku: this.sku,
      product_name: `${category.nouns[draws.noun]} ${brand} ${PACK_SIZES[draws.pack]}`.trim(),
      category: category.category,
      subcategory: category.subcategories[draws.subcategory] as string,
      brand,
      unit_cost: fromUnits(draws.cost, 2),
      list_price: this.listPrice,
      vat_rate: fromUnits(category.vat, 4),
      is_perishable: category.perishable,
      launched_on: daysBefore(this.config.from, draws.launched),
    };
    return this.built;
  }
}

/** A seeded permutation: `ranks[i]` is product i's popularity rank (0 = best seller). */
function popularityRanks(seed: number, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = streamFor(seed, PURPOSE.popularity);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const ranks = new Int32Array(n);
  for (let r = 0; r < n; r++) ranks[order[r] as number] = r;
  return ranks;
}
