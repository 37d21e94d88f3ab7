import { Marked, type Tokens } from 'marked';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Only links a mail client can follow safely: web pages and addresses, never scripts or data. */
function safeHref(href: string): string | null {
  return /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : null;
}

/**
 * Markdown as an email's HTML part. The reply's words may come from anyone (a model repeating a
 * customer, an operator pasting): raw HTML in them is shown as text, never interpreted, and links
 * and images keep only http(s) and mailto targets.
 */
const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      if (!href) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title}>${text}</a>`;
    },
    image(token: Tokens.Image): string {
      // Shown as a link: remote images in replies would tell the sender when a mail is opened.
      const href = safeHref(token.href);
      const text = escapeHtml(token.text || token.href);
      return href ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
    },
  },
});

/** The HTML part of a reply whose text part is `content` (Markdown as written). */
export function renderEmailHtml(content: string): string {
  const body = markdown.parse(content, { async: false });
  return (
    '<!doctype html><html><head><meta charset="utf-8"></head>' +
    `<body style="font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5;">${body}</body></html>`
  );
}
