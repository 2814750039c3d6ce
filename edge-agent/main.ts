// `npm run edge-agent`: the in-store box service (sync hub + door cameras). See docs/footfall.md.
import { ensureModelsBuilt } from '../app/build';
import { runService } from './service';

// A fresh clone has only the TFJS weights: convert them once (≈3 s) before the cameras start.
ensureModelsBuilt();

// The environment is read here and only here; agent-settings.ts checks it.
runService(process.env).catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  process.stderr.write(`edge-agent failed to start: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}\n`);
  process.exit(1);
});
