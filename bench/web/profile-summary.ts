import { readFileSync } from "node:fs";

/**
 * `npx tsx bench/web/profile-summary.ts <file.cpuprofile> [--top 30] [--inclusive regex] [--callers regex] [--from s] [--to s]`
 * Where a V8 CPU profile (node --cpu-prof, `npm run bench:web -- --cpu-prof <dir>`) spent its time:
 * self time per package (a node_modules package, Node's own code, a build chunk of the portal), the
 * functions with the most self time, and, with `--inclusive`, the total time (self and callees) of the
 * functions whose name matches, and with `--callers`, the commonest stacks under the functions whose self
 * time matches (name or package). Idle and garbage collection are shown apart: they are not request work.
 */
type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const file = process.argv[2];
if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile> [--top N] [--inclusive regex]");
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const TOP = Number(argValue("--top") ?? 30);
const inclusivePattern = argValue("--inclusive");
const callersPattern = argValue("--callers");

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// `--from`/`--to` (seconds since the profile started) keep one stretch, e.g. one page's row of the bench.
const from = Number(argValue("--from") ?? 0) * 1e6;
const to = Number(argValue("--to") ?? Infinity) * 1e6;
const self = new Map<number, number>();
let clock = 0;
profile.samples.forEach((id, i) => {
  clock += profile.timeDeltas[i] ?? 0;
  if (clock >= from && clock < to) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** A package name from a script URL: node_modules/<pkg>, node:<module>, or the build chunk's file name. */
function packageOf(url: string): string {
  if (!url) return "(native / V8)";
  if (url.startsWith("node:internal/")) return "node:internal/" + url.slice("node:internal/".length).replace(/\.js$/, "");
  if (url.startsWith("node:")) return url;
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    // Next's compiled server runtime holds React's server renderer too: name the file.
    if (name === "next" && url.includes("/compiled/")) return `next/${rest.slice(-1)[0]}`;
    return name;
  }
  const chunk = url.match(/\.next[^/]*\/(.*)$/);
  if (chunk) return `build: ${chunk[1]!.replace(/\[[^\]]*\]__/g, "").slice(0, 80)}`;
  return url.replace(/^file:\/\//, "").split("/").slice(-2).join("/");
}

const label = (frame: CallFrame) => `${frame.functionName || "(anonymous)"} ${packageOf(frame.url)}:${frame.lineNumber + 1}`;
const SPECIAL = new Set(["(idle)", "(garbage collector)", "(program)"]);

const perPackage = new Map<string, number>();
const perFunction = new Map<string, number>();
let special = new Map<string, number>();
for (const [id, ms] of self) {
  const frame = byId.get(id)!.callFrame;
  if (SPECIAL.has(frame.functionName)) {
    special.set(frame.functionName, (special.get(frame.functionName) ?? 0) + ms);
    continue;
  }
  const pkg = packageOf(frame.url);
  perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + ms);
  perFunction.set(label(frame), (perFunction.get(label(frame)) ?? 0) + ms);
}
special = new Map([...special].sort((a, b) => b[1] - a[1]));
const busy = total - (special.get("(idle)") ?? 0);
const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)} %`;
const row = (ms: number, name: string) => `${ms.toFixed(0).padStart(8)} ms ${pct(ms)}  ${name}`;

console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle; ${[...special].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ")}`);
console.log("\nSelf time per package (percent of the time not idle):");
for (const [name, ms] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(row(ms, name));
console.log("\nSelf time per function:");
for (const [name, ms] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(row(ms, name));

if (inclusivePattern) {
  const pattern = new RegExp(inclusivePattern);
  // Each sample counts once for every distinct matching function on its stack.
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!pattern.test(frame.functionName) && !pattern.test(frame.url)) continue;
      const name = label(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    }
  }
  console.log(`\nTotal time (self and callees) of functions matching /${inclusivePattern}/:`);
  for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(row(ms, name));
}

if (callersPattern) {
  const pattern = new RegExp(callersPattern);
  const stacks = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    if (!pattern.test(label(frame))) continue;
    const names: string[] = [];
    for (let at = parent.get(id); at !== undefined && names.length < 8; at = parent.get(at)) {
      const caller = byId.get(at)!.callFrame;
      if (caller.functionName === "(root)") break;
      names.push(`${caller.functionName || "(anonymous)"}@${packageOf(caller.url)}`);
    }
    const key = `${label(frame)} <- ${names.join(" <- ")}`;
    stacks.set(key, (stacks.get(key) ?? 0) + ms);
  }
  console.log(`\nCommonest stacks under self time matching /${callersPattern}/:`);
  for (const [name, ms] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(row(ms, name));
}
