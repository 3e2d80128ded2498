/** The patterns of `<root>/.dockerignore`, comments and blank lines dropped. */
export function readDockerignore(root: string): string[];
/** Whether `.dockerignore` patterns leave `path` (relative, with "/") out of the context. */
export function isDockerignored(path: string, patterns: string[]): boolean;
/** The context's files (tracked and untracked-but-not-gitignored) and their total size in bytes. */
export function dockerContext(root: string): { files: string[]; bytes: number };
