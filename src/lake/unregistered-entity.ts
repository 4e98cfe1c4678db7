/**
 * Lake data files of an entity nobody registered. They are not loaded, not checked and not
 * recorded anywhere, so they stay pending and go through as soon as the entity is registered
 * (in retail-mds.config's `entities`, or the `entities` option of the library call).
 */
export interface UnregisteredEntity {
  readonly entity: string;
  /** Lake paths, sorted. */
  readonly files: readonly string[];
}

/** Groups paths by entity name, sorted by entity then path. */
export function groupUnregistered(
  files: Iterable<{ readonly entity: string; readonly path: string }>,
): UnregisteredEntity[] {
  const byEntity = new Map<string, string[]>();
  for (const { entity, path } of files) {
    const list = byEntity.get(entity) ?? [];
    if (!list.includes(path)) list.push(path);
    byEntity.set(entity, list);
  }
  return [...byEntity]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([entity, paths]) => ({ entity, files: paths.sort() }));
}

/** `2 files of entity price_change are not registered in retail-mds.config (...)`. */
export function unregisteredMessage(unregistered: UnregisteredEntity): string {
  const n = unregistered.files.length;
  return (
    `${n} ${n === 1 ? "file" : "files"} of entity ${unregistered.entity} ${n === 1 ? "is" : "are"} not registered in retail-mds.config: ` +
    "add the entity to the config's entities (docs/add-an-entity.md); they load and are checked once it is"
  );
}
