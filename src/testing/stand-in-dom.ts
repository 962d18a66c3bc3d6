// DOM helpers of the stand-ins' own widgets (Payrails' card button, Toast's iframe). The pages
// that show them keep a strict Content-Security-Policy (`style-src 'self'`), which refuses
// `<style>` elements and `style=""` attributes, inside a srcdoc iframe too. Constructed style
// sheets and CSSOM properties are what script may still style with, so the widgets use those:
// their markup and CSS stay in the stand-in, and the page's policy stays as it is.

/**
 * Adds `css` to a document or shadow root as a constructed style sheet. Where the browser
 * cannot (no `adoptedStyleSheets`, as in Safari before 16.4), the widget shows unstyled.
 */
export function adoptStyles(root: Document | ShadowRoot, css: string): void {
  const view = (root.ownerDocument ?? (root as Document)).defaultView as (Window & typeof globalThis) | null;
  if (!view?.CSSStyleSheet || !('adoptedStyleSheets' in root)) return;
  try {
    // A sheet may only be adopted by the document whose window constructed it.
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // Unstyled rather than broken.
  }
}

/** Text for HTML markup (srcdoc). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The colours and type the example pages use, for a widget that does not inherit them (an iframe). */
export const WIDGET_CSS = `
  :host, :root { color-scheme: light dark; }
  .box {
    box-sizing: border-box;
    display: grid;
    gap: 0.625rem;
    border: 1px solid color-mix(in srgb, CanvasText 30%, Canvas);
    border-radius: 10px;
    background: Canvas;
    color: CanvasText;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    line-height: 1.4;
    padding: 1rem;
  }
  .brand { display: flex; justify-content: space-between; margin: 0; font-weight: 700; }
  .test { color: #6b7280; font-size: 0.8rem; font-weight: 400; }
  .amount { margin: 0; font-size: 1.75rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  .detail { margin: 0; color: #6b7280; font-variant-numeric: tabular-nums; }
  .field { display: grid; gap: 0.25rem; font-size: 0.875rem; }
  input {
    box-sizing: border-box;
    width: 100%;
    min-height: 2.375rem;
    border: 1px solid color-mix(in srgb, CanvasText 30%, Canvas);
    border-radius: 6px;
    background: Field;
    color: FieldText;
    font: inherit;
    font-size: 1rem;
    letter-spacing: 0.05em;
    padding: 0.375rem 0.625rem;
  }
  button {
    min-height: 2.5rem;
    border: 0;
    border-radius: 6px;
    background: #4f46e5;
    color: #fff;
    cursor: pointer;
    font: inherit;
    font-weight: 600;
  }
  button:disabled { cursor: not-allowed; opacity: 0.6; }
  :focus-visible { outline: 3px solid #4f46e5; outline-offset: 2px; }
  .status { margin: 0; min-height: 1.4em; font-weight: 600; }
  .status.ok { color: #047857; }
  .status.error { color: #b91c1c; }
  @media (prefers-color-scheme: dark) {
    .status.ok { color: #34d399; }
    .status.error { color: #f87171; }
  }
`;
