// @vitest-environment happy-dom
// The script-tag entries' auto-mount (autoMount): every `[data-checkout]` root but the
// `data-checkout="manual"` ones is mounted once the page is parsed, at once if it already is,
// else at DOMContentLoaded, and once only. `mount` here is a stand-in that notes each root it
// was given, so what is asserted is autoMount's choice of roots and moment; what a real mount
// does with a root is mount.test.ts's, and the built files' own auto-mount is built.test.ts's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { autoMount } from '../src/dom/auto-mount.js';
import type { Checkout } from '../src/types.js';

afterEach(() => {
  vi.unstubAllGlobals(); // the test without a document: give it back before clearing the page
  document.body.replaceChildren();
});

/** A page of roots; `id`s name them in what `mount` was given. */
function page(html: string): void {
  document.body.innerHTML = html;
}

/** A stand-in for mount: the ids of the roots it was given, in order; it throws for those in `failing`. */
function mounter(failing: string[] = []) {
  const mounted: string[] = [];
  const mount = (root: HTMLElement) => {
    mounted.push(root.id);
    if (failing.includes(root.id)) throw new Error(`${root.id} cannot mount`);
    return {} as Checkout<unknown, never>;
  };
  return { mount, mounted };
}

/**
 * The moment autoMount runs in: the document's readyState and, when given, the navigation
 * entry's domContentLoadedEventStart (0 until DOMContentLoaded has started).
 */
function during(readyState: DocumentReadyState, domContentLoadedEventStart?: number): void {
  vi.spyOn(document, 'readyState', 'get').mockReturnValue(readyState);
  const entries = domContentLoadedEventStart === undefined ? [] : [{ entryType: 'navigation', domContentLoadedEventStart }];
  vi.spyOn(performance, 'getEntriesByType').mockImplementation((type) => (type === 'navigation' ? entries : []) as unknown as PerformanceEntryList);
}

const parsedEvent = () => document.dispatchEvent(new Event('DOMContentLoaded'));

describe('autoMount: which roots', () => {
  it('mounts every [data-checkout] root in document order, whatever its value, and skips data-checkout="manual"', () => {
    page(`
      <form id="plain" data-checkout></form>
      <div id="manual" data-checkout="manual"></div>
      <section><form id="nested" data-checkout="payrails"></form></section>
      <form id="other" data-endpoint="/x"></form>
      <form id="auto" data-checkout="auto"></form>`);
    during('complete', 120);
    const { mount, mounted } = mounter();
    autoMount(mount);
    expect(mounted).toEqual(['plain', 'nested', 'auto']);
  });

  it('mounts the roots after one whose mount throws, and throws nothing to the script tag', () => {
    page('<form id="a" data-checkout></form><form id="broken" data-checkout></form><form id="c" data-checkout></form>');
    during('complete', 120);
    const { mount, mounted } = mounter(['broken']);
    expect(autoMount(mount)).toBeUndefined();
    expect(mounted).toEqual(['a', 'broken', 'c']);
  });

  it('mounts nothing, and throws nothing, where there is no document (the entry imported on a server)', () => {
    vi.stubGlobal('document', undefined);
    const { mount, mounted } = mounter();
    expect(autoMount(mount)).toBeUndefined();
    expect(mounted).toEqual([]);
  });
});

describe('autoMount: when', () => {
  it.each([
    ['complete, DOMContentLoaded started', 'complete', 120],
    ['interactive, DOMContentLoaded started (a script loaded after parsing)', 'interactive', 120],
    ['interactive, in a browser without a navigation entry', 'interactive', undefined],
  ] as const)('mounts at once when the page is parsed (%s), and not again at a later DOMContentLoaded', (_, readyState, start) => {
    page('<form id="a" data-checkout></form>');
    during(readyState, start);
    const { mount, mounted } = mounter();
    autoMount(mount);
    expect(mounted).toEqual(['a']);
    parsedEvent();
    expect(mounted).toEqual(['a']);
  });

  it.each([
    ['while loading (a script in <head>)', 'loading', 0],
    ['while loading, in a browser without a navigation entry', 'loading', undefined],
    ['while interactive before DOMContentLoaded started (a deferred script)', 'interactive', 0],
  ] as const)('waits for DOMContentLoaded %s, mounts the roots there then, and only once', (_, readyState, start) => {
    page('<form id="a" data-checkout></form>');
    during(readyState, start);
    const { mount, mounted } = mounter();
    autoMount(mount);
    // Roots the rest of the page adds before DOMContentLoaded are mounted too.
    document.body.insertAdjacentHTML('beforeend', '<form id="later" data-checkout></form>');
    expect(mounted).toEqual([]);
    parsedEvent();
    expect(mounted).toEqual(['a', 'later']);
    parsedEvent(); // a page script dispatching its own DOMContentLoaded
    expect(mounted).toEqual(['a', 'later']);
  });
});
