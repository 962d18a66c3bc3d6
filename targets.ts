// The browsers the built files are written for, in one place: vite.config.ts builds to it,
// and test/target.test.ts checks that no built file uses newer syntax. ES2020 is what every
// major browser has run since 2021; Stripe.js itself supports older ones, but lowering
// async functions for them would cost the script tag kilobytes. Chrome and Edge start at 91
// because older V8 has an optional-chaining bug that would make the build lower every `?.`
// (about 170 bytes gzip).

/** The ECMAScript syntax level of every built file. */
export const ECMA_VERSION = 2020;

/** Vite's `build.target`: the syntax level and the oldest version of each browser. */
export const BROWSERS = [`es${ECMA_VERSION}`, 'chrome91', 'edge91', 'firefox78', 'safari14'];
