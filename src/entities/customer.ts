import { z } from "zod";
import { countryCode, customerId } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { isoDate, text } from "./field-types.js";

/** A loyalty-card holder. Names and e-mail are personal data. */
export const customer = defineEntity({
  name: "customer",
  description: "A loyalty-programme member; anonymous tickets have no customer.",
  partition: "none",
  key: ["customer_id"],
  schema: z.object({
    customer_id: customerId,
    first_name: text(60),
    last_name: text(60),
    email: z.email({ error: "expected an e-mail address" }),
    segment: z.enum(["standard", "premium", "vip"]),
    city: text(80),
    country: countryCode,
    signup_on: isoDate(),
  }),
  docs: {
    customer_id: { description: "Loyalty customer number, the natural key." },
    first_name: { description: "Given name.", pii: true },
    last_name: { description: "Family name.", pii: true },
    email: { description: "E-mail address.", pii: true },
    segment: { description: "Loyalty segment: standard, premium or vip." },
    city: { description: "City of residence." },
    country: { description: "ISO 3166-1 alpha-2 country of residence." },
    signup_on: { description: "Date the customer joined the programme." },
  },
});
