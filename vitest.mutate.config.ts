// The unit tests that run against each mutant of src/ (`npm run mutate`): all but those of the
// built files (dist/), the package, the example pages and their server, which test what src/
// is built into or used by rather than src/ itself, and would rebuild or start servers per run.
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        'test/built.test.ts',
        'test/size.test.ts',
        'test/package.test.ts',
        'test/examples.test.ts',
        'test/server*.test.ts',
        'test/emulator.test.ts',
        'test/fuzz-server.test.ts',
        'test/readme.test.ts',
      ],
      typecheck: { enabled: false },
    },
  }),
);
