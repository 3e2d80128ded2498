/**
 * Every sentence the private-file code says to people, in one place so it can
 * be translated. Each names the file and, where the person must act, what to do.
 */
export const privateFileText = {
  modeNarrowed: (path: string, mode: number, wanted: number) =>
    `${path} was readable by others (${mode.toString(8)}); changed it to ${wanted.toString(8)}.`,
  modeStuck: (path: string, mode: number, reason: string) =>
    `${path} is readable by others (${mode.toString(8)}) and could not be changed: ${reason}`,
  dirNotPrivate: (dir: string, mode: number) =>
    `${dir} must be private (0700) but is ${mode.toString(8)}; fix its owner or mode.`,
  cannotRead: (path: string, reason: string) => `Cannot read ${path}: ${reason}`,
  notJson: (path: string) => `${path} is not valid JSON; fix it or move it aside.`,
  invalid: (path: string, field: string, problem: string) => `${path}: ${field} ${problem}; fix it or move it aside.`,
  removedUnreadable: (path: string) => `${path} could not be read and was removed.`,
  symbolicLink: (path: string) =>
    `${path} is a symbolic link; claudemesh does not follow links for its private files. Remove it and try again.`,
  notRegularFile: (path: string) =>
    `${path} is not a regular file; claudemesh keeps its private files only in regular files. Remove it and try again.`,
  ownedByOther: (path: string, owner: number) =>
    `${path} belongs to another user (uid ${owner}); claudemesh only reads private files you own. Remove it and try again.`,
  refusedToWrite: (path: string, field: string, problem: string) => `Refusing to write ${path}: ${field} ${problem}.`,
  locked: (path: string, lockPath: string, pid: number | undefined) =>
    `Another claudemesh process${pid ? ` (pid ${pid})` : ""} is changing ${path} and did not finish in time; ` +
    `try again in a moment. If no claudemesh is running, remove ${lockPath}.`,
} as const;
