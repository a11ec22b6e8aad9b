// Real model files from the project workspace's shared data folder (models/; outside the repository). Tests that use
// them skip with a plain message when the folder is absent (a clone outside this workspace).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODELS = fileURLToPath(new URL('../../../../shared/data/models/', import.meta.url));
export const HAVE_MODELS = existsSync(MODELS);
export const SKIP_MODELS: string | false = !HAVE_MODELS && `${MODELS} is absent (real model files live outside the repository)`;

/** Every model.json holding a TF.js weights manifest: the tfjs-* folders and every derived-tfjs-layout. */
export function tfjsModelJsonPaths(): string[] {
  if (!HAVE_MODELS) return [];
  const out: string[] = [];
  for (const dir of readdirSync(MODELS).sort()) {
    for (const candidate of [join(MODELS, dir, 'model.json'), join(MODELS, dir, 'derived-tfjs-layout', 'model.json')]) {
      if (!existsSync(candidate)) continue;
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { weightsManifest?: unknown };
      if (json.weightsManifest !== undefined) out.push(candidate);
    }
  }
  return out;
}
