/**
 * Lake files under `legacy_raw/<layout>/` of a layout nobody registered. Like the files of an
 * unregistered entity, they are not loaded and not recorded, so they load as soon as the layout
 * is registered (in retail-mds.config's `layouts`, or the `layouts` option of the library call).
 */
export interface UnregisteredLayout {
  readonly layout: string;
  /** Lake paths, sorted. */
  readonly files: readonly string[];
}

/** `2 files of layout pos_fr are not registered in retail-mds.config: ...`. */
export function unregisteredLayoutMessage(unregistered: UnregisteredLayout): string {
  const n = unregistered.files.length;
  return (
    `${n} ${n === 1 ? "file" : "files"} of layout ${unregistered.layout} ${n === 1 ? "is" : "are"} not registered in retail-mds.config: ` +
    "add the layout to the config's layouts (docs/legacy.md); they load once it is"
  );
}
