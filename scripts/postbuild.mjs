// tsc writes files without the execute bit; `npx mrrc` (the package's bin) needs it.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/src/cli/main.js', import.meta.url), 0o755);
