// The overhead benchmark's entry in the browser: overhead.ts bundles it and calls
// `measureOverhead` in Chromium.
import { measure } from './overhead-measure.js';

Object.assign(globalThis, { measureOverhead: measure });
