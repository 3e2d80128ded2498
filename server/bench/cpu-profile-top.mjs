#!/usr/bin/env node
// `node bench/cpu-profile-top.mjs <a.cpuprofile>[=requests] [<b.cpuprofile>[=requests]] [--top N]`:
// where a `node --cpu-prof` profile (such as `pnpm bench server` writes with
// BENCH_CPU_PROF=<dir>) spent its CPU, by self time, summed over every node of
// the same function in the same file or package (bundles differ in line numbers,
// so lines are left out). With a request count after `=`, in µs per request;
// with two profiles, side by side and sorted by the difference, b − a: what one
// build spends per request that the other does not. How issue 27 compared main
// with 0.11.0.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 40;
const files = args.filter((arg, i) => arg !== "--top" && i !== topAt + 1);
if (files.length === 0 || files.length > 2) {
  console.error(
    "usage: node bench/cpu-profile-top.mjs <a.cpuprofile>[=requests] [<b.cpuprofile>[=requests]] [--top N]",
  );
  process.exit(1);
}

/** Self time by function, in µs (per request when the count is given), and the busy total. */
function selfTimes(spec) {
  const [file, requests] = spec.split("=");
  const profile = JSON.parse(readFileSync(file, "utf8"));
  // Each sample names the node on top of the stack; the gap to the next sample is charged to it.
  const micros = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    micros.set(id, (micros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const per = requests ? Number(requests) : 1;
  const byFunction = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    if (functionName === "(idle)") continue;
    const spent = (micros.get(node.id) ?? 0) / per;
    busy += spent;
    const where = url.includes("/node_modules/")
      ? url.replace(/^.*\/node_modules\//, "")
      : url.replace(/^file:\/\/.*\/server\/dist\/.*$/, "(server bundle)");
    const key = `${functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + spent);
  }
  return { file, unit: requests ? "µs/req" : "µs", busy, byFunction };
}

const profiles = files.map(selfTimes);
const fmt = (value) => value.toFixed(value < 10 ? 2 : 0).padStart(9);
for (const { file, unit, busy } of profiles) console.log(`${file}: busy ${fmt(busy)} ${unit}`);
const [a, b] = profiles;
if (!b) {
  for (const [key, spent] of [...a.byFunction].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`${((spent / a.busy) * 100).toFixed(1).padStart(5)} % ${fmt(spent)}  ${key}`);
  }
} else {
  const keys = new Set([...a.byFunction.keys(), ...b.byFunction.keys()]);
  const rows = [...keys].map((key) => [key, a.byFunction.get(key) ?? 0, b.byFunction.get(key) ?? 0]);
  console.log(`${"a".padStart(9)} ${"b".padStart(9)} ${"b − a".padStart(9)}  (${a.unit})`);
  for (const [key, x, y] of rows.sort((r, s) => Math.abs(s[2] - s[1]) - Math.abs(r[2] - r[1])).slice(0, top)) {
    console.log(`${fmt(x)} ${fmt(y)} ${fmt(y - x)}  ${key}`);
  }
}
