/**
 * The fixed vocabularies reference records are drawn from. Names carry accents on purpose: the
 * legacy feed's Latin-1 defect only shows on text that is not plain ASCII.
 */

/** Where stores are: city, region, country and IANA time zone. All trade in EUR. */
export interface Place {
  readonly city: string;
  readonly region: string;
  readonly country: string;
  readonly timezone: string;
}

export const PLACES: readonly Place[] = [
  { city: "Paris", region: "Île-de-France", country: "FR", timezone: "Europe/Paris" },
  { city: "Lyon", region: "Auvergne-Rhône-Alpes", country: "FR", timezone: "Europe/Paris" },
  {
    city: "Marseille",
    region: "Provence-Alpes-Côte d'Azur",
    country: "FR",
    timezone: "Europe/Paris",
  },
  { city: "Lille", region: "Hauts-de-France", country: "FR", timezone: "Europe/Paris" },
  { city: "Bordeaux", region: "Nouvelle-Aquitaine", country: "FR", timezone: "Europe/Paris" },
  {
    city: "Bruxelles",
    region: "Région de Bruxelles-Capitale",
    country: "BE",
    timezone: "Europe/Brussels",
  },
  { city: "Madrid", region: "Comunidad de Madrid", country: "ES", timezone: "Europe/Madrid" },
  {
    city: "Lisboa",
    region: "Área Metropolitana de Lisboa",
    country: "PT",
    timezone: "Europe/Lisbon",
  },
  { city: "Toulouse", region: "Occitanie", country: "FR", timezone: "Europe/Paris" },
  { city: "Nantes", region: "Pays de la Loire", country: "FR", timezone: "Europe/Paris" },
  { city: "Pointe-à-Pitre", region: "Guadeloupe", country: "GP", timezone: "America/Guadeloupe" },
  { city: "Strasbourg", region: "Grand Est", country: "FR", timezone: "Europe/Paris" },
  { city: "Liège", region: "Wallonie", country: "BE", timezone: "Europe/Brussels" },
  { city: "Porto", region: "Norte", country: "PT", timezone: "Europe/Lisbon" },
];

export const DISTRICTS: readonly string[] = [
  "Centre",
  "Gare",
  "Nord",
  "Sud",
  "Les Halles",
  "Rive Gauche",
  "Château",
  "Saint-Éloi",
  "Port",
  "Université",
];

/** A branch of the merchandise hierarchy with its shelf-price band and VAT rate. */
export interface Category {
  readonly category: string;
  readonly subcategories: readonly string[];
  readonly nouns: readonly string[];
  /** Shelf price band including VAT, in cents. */
  readonly minPrice: number;
  readonly maxPrice: number;
  /** VAT rate in basis points of 1 (decimal(5,4) units): 550 = 5.5%. */
  readonly vat: number;
  readonly perishable: boolean;
  /** Share of the assortment. */
  readonly weight: number;
}

export const CATEGORIES: readonly Category[] = [
  {
    category: "Fresh",
    subcategories: ["Fruit", "Vegetables", "Dairy", "Bakery"],
    nouns: [
      "Pommes",
      "Tomates",
      "Yaourt nature",
      "Baguette",
      "Crème fraîche",
      "Brie",
      "Bananes",
      "Salade",
    ],
    minPrice: 49,
    maxPrice: 899,
    vat: 550,
    perishable: true,
    weight: 18,
  },
  {
    category: "Meat & Fish",
    subcategories: ["Butchery", "Poultry", "Seafood"],
    nouns: ["Poulet fermier", "Steak haché", "Saumon fumé", "Jambon", "Pâté"],
    minPrice: 199,
    maxPrice: 2499,
    vat: 550,
    perishable: true,
    weight: 8,
  },
  {
    category: "Grocery",
    subcategories: ["Pasta & Rice", "Breakfast", "Canned", "Sauces"],
    nouns: [
      "Pâtes",
      "Riz basmati",
      "Céréales",
      "Café moulu",
      "Confiture",
      "Huile d'olive",
      "Thé vert",
    ],
    minPrice: 59,
    maxPrice: 1299,
    vat: 550,
    perishable: false,
    weight: 22,
  },
  {
    category: "Beverages",
    subcategories: ["Water", "Soft drinks", "Beer", "Wine"],
    nouns: ["Eau minérale", "Jus d'orange", "Bière blonde", "Côtes-du-Rhône", "Limonade"],
    minPrice: 39,
    maxPrice: 3999,
    vat: 2000,
    perishable: false,
    weight: 14,
  },
  {
    category: "Frozen",
    subcategories: ["Ready meals", "Ice cream", "Vegetables"],
    nouns: ["Pizza", "Glace vanille", "Petits pois", "Crêpes"],
    minPrice: 149,
    maxPrice: 1199,
    vat: 550,
    perishable: false,
    weight: 7,
  },
  {
    category: "Household",
    subcategories: ["Cleaning", "Paper"],
    nouns: ["Lessive", "Essuie-tout", "Liquide vaisselle", "Éponges"],
    minPrice: 99,
    maxPrice: 1999,
    vat: 2000,
    perishable: false,
    weight: 10,
  },
  {
    category: "Health & Beauty",
    subcategories: ["Hygiene", "Cosmetics"],
    nouns: ["Shampooing", "Dentifrice", "Crème hydratante", "Savon"],
    minPrice: 129,
    maxPrice: 2999,
    vat: 2000,
    perishable: false,
    weight: 9,
  },
  {
    category: "Electronics",
    subcategories: ["Audio", "Accessories", "Small appliances"],
    nouns: ["Écouteurs", "Câble USB-C", "Bouilloire", "Enceinte", "Grille-pain"],
    minPrice: 699,
    maxPrice: 49999,
    vat: 2000,
    perishable: false,
    weight: 5,
  },
  {
    category: "Home & Garden",
    subcategories: ["Kitchen", "Garden", "Decoration"],
    nouns: ["Poêle", "Bougie", "Terreau", "Plaid", "Vase"],
    minPrice: 299,
    maxPrice: 8999,
    vat: 2000,
    perishable: false,
    weight: 7,
  },
];

export const BRANDS: readonly string[] = [
  "Maison Dupré",
  "Les Prés Fleuris",
  "Bon Marché Sélection",
  "Nordique",
  "Célestin",
  "Auchère",
  "Vallée Verte",
  "Atlántico",
  "Brûlerie du Port",
  "Mère Léonie",
  "Klein & Söhne",
  "Premier Prix",
];

export const PACK_SIZES: readonly string[] = [
  "250 g",
  "500 g",
  "1 kg",
  "1 L",
  "75 cl",
  "x6",
  "x12",
  "150 ml",
  "",
];

export const FIRST_NAMES: readonly string[] = [
  "Léa",
  "Chloé",
  "Inès",
  "Zoé",
  "Camille",
  "Manon",
  "Emma",
  "Jade",
  "Hélène",
  "Anaïs",
  "Noé",
  "Lucas",
  "Hugo",
  "Théo",
  "Raphaël",
  "Jérôme",
  "François",
  "Loïc",
  "Gaël",
  "Mathis",
  "João",
  "María",
  "José",
  "Sofía",
  "Ana",
  "Pieter",
  "Lotte",
  "Jürgen",
  "Mégane",
  "Clément",
];

export const LAST_NAMES: readonly string[] = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Lefèvre",
  "Moreau",
  "Girard",
  "Bonnet",
  "Fournier",
  "Lambert",
  "Fontaine",
  "Rousseau",
  "Mercier",
  "Nuñez",
  "García",
  "Gonçalves",
  "Peeters",
  "Janssens",
  "Müller",
  "Bœuf",
  "Céline",
  "Gérard",
  "Lemaître",
  "Da Silva",
  "Vandenberghe",
  "Noël",
];

export const EMAIL_DOMAINS: readonly string[] = ["example.com", "example.org", "example.net"];
