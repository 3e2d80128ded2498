import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** What `npm pack` made of a package: the tarball's path and the files inside it. */
export interface PackedPackage {
  tarball: string;
  files: string[];
}

/** Packs the package in `packageDir` with npm, as publishing would, into `destination`. */
export function packWithNpm(packageDir: string, destination: string): PackedPackage {
  const [pack] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", destination], {
      cwd: packageDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  if (!pack) throw new Error("npm pack printed nothing");
  return { tarball: join(destination, pack.filename), files: pack.files.map((file) => file.path) };
}
