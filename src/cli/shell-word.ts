/** One word for a POSIX shell: as is when plain, else single-quoted, so a printed command runs as written. */
export function shellWord(s: string): string {
  return /^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
