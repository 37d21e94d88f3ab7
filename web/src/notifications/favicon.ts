/** The favicon (web/public/favicon.svg, same drawing): a speech bubble in Parley's blue. */
const BUBBLE =
  '<path d="M6 4h20a4 4 0 0 1 4 4v12a4 4 0 0 1-4 4H14l-6 5v-5H6a4 4 0 0 1-4-4V8a4 4 0 0 1 4-4z" fill="#1d4ed8"/>' +
  '<circle cx="10.5" cy="14" r="2" fill="#fff"/><circle cx="16" cy="14" r="2" fill="#fff"/><circle cx="21.5" cy="14" r="2" fill="#fff"/>';
/** A red dot in the corner while something is unread. */
const DOT = '<circle cx="26" cy="6" r="5.5" fill="#dc2626" stroke="#fff" stroke-width="1.5"/>';

const svg = (inner: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${inner}</svg>`;
const WITH_DOT = `data:image/svg+xml,${encodeURIComponent(svg(BUBBLE + DOT))}`;
const PLAIN = '/favicon.svg';

/** Shows the dot on the tab's icon, or not. */
export function setFaviconDot(on: boolean): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) return;
  const href = on ? WITH_DOT : PLAIN;
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
}
