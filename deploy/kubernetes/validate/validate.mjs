// Renders kustomizations with `kubectl kustomize` and checks every object it yields, offline:
//  1. against the Kubernetes and Gateway API OpenAPI schemas (kubernetes-models and
//     @kubernetes-models/gateway-api: types, required fields, enums, patterns), and
//  2. for fields the API does not know (a typo such as `readonlyRootFilesystem` that the API server
//     would reject under strict field validation): TypeScript's excess-property check against the
//     same models' declarations.
// Usage: node validate.mjs KUBECTL DIR...   (validate.sh passes both)
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const [kubectl, ...dirs] = process.argv.slice(2);
if (!kubectl || dirs.length === 0) {
  console.error("usage: node validate.mjs KUBECTL KUSTOMIZATION_DIR...");
  process.exit(2);
}

// apiVersion → the module that holds its models.
function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("gateway.networking.k8s.io/")) return `@kubernetes-models/gateway-api/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

let failures = 0;
const typed = [];
for (const dir of dirs) {
  const rendered = spawnSync(kubectl, ["kustomize", dir], { encoding: "utf8" });
  if (rendered.status !== 0) {
    console.error(`${dir}: kubectl kustomize failed:\n${rendered.stderr}`);
    failures++;
    continue;
  }
  for (const doc of parseAllDocuments(rendered.stdout)) {
    if (doc.errors.length > 0) {
      console.error(`${dir}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const name = `${dir}: ${object.kind}/${object.metadata?.name}`;
    let Model;
    try {
      Model = (await import(modulePath(object.apiVersion, object.kind)))[object.kind];
    } catch {
      console.error(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
      typed.push({ name, module: modulePath(object.apiVersion, object.kind), kind: object.kind, object });
      console.log(`ok  ${name} (${object.apiVersion})`);
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      failures++;
    }
  }
}

// Unknown fields: each object as a literal of its model's interface; tsc reports excess properties.
if (typed.length > 0) {
  const work = mkdtempSync(join(tmpdir(), "loadcluster-validate-"));
  try {
    const lines = typed.flatMap((t, i) => [
      `import type { I${t.kind} as T${i} } from "${t.module}";`,
      `// ${t.name}`,
      `export const o${i}: T${i} = ${JSON.stringify(t.object)};`,
    ]);
    const file = join(work, "objects.ts");
    writeFileSync(file, lines.join("\n") + "\n");
    writeFileSync(join(work, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", skipLibCheck: true, typeRoots: [] },
      files: ["objects.ts"],
    }));
    // Resolve the models from this folder's node_modules.
    spawnSync("ln", ["-s", join(here, "node_modules"), join(work, "node_modules")]);
    const tsc = spawnSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "-p", work], { encoding: "utf8" });
    if (tsc.status !== 0) {
      const source = lines;
      for (const line of tsc.stdout.split("\n").filter((l) => l.includes("error TS"))) {
        const at = Number(/objects\.ts\((\d+),/.exec(line)?.[1] ?? 0);
        const object = source[at - 2]?.replace(/^\/\/ /, "") ?? "?";
        console.error(`${object}: ${line.replace(/^.*error TS\d+: /, "")}`);
        failures++;
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(failures === 0 ? `${typed.length} objects valid` : `${failures} problems`);
process.exit(failures === 0 ? 0 : 1);
