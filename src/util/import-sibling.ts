import { createRequire } from 'node:module';

/**
 * `import()` of a module next to `base` (the caller's `import.meta.url`). When the caller runs as
 * TypeScript in a worker (tests under tsx), the worker may be loaded as CommonJS, where importing a
 * sibling `.js` that exists only as `.ts` fails: the `.ts` is then required instead.
 */
export async function importSibling<T>(base: string, path: string): Promise<T> {
  try {
    return (await import(new URL(path, base).href)) as T;
  } catch (e) {
    if (!base.endsWith('.ts')) throw e;
    return createRequire(base)(path.replace(/\.js$/, '.ts')) as T;
  }
}
