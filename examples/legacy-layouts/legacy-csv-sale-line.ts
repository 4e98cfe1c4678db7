// The generator's own legacy CSV feed of sale lines (comma, UTF-8, the entity's column names as
// the header) as a layout: the starting point the platform always read, now one layout among others.
import { saleLine } from "retail-mds/entities";
import { legacyCsvLayout } from "retail-mds/legacy";

export default legacyCsvLayout(saleLine);
