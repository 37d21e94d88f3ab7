import type { JSX } from 'preact';
import { parseMarkdown, type Block, type Inline } from './markdown.ts';

/**
 * A reply's Markdown as elements: every piece of message text reaches the DOM as a text node
 * (Preact sets it as text), and the only attribute taken from a message is a link's href, which
 * the parser has already limited to http, https and mailto.
 */
export function Markdown({ text }: { text: string }): JSX.Element {
  return <div class="md">{parseMarkdown(text).map(block)}</div>;
}

function block(b: Block, key: number): JSX.Element {
  switch (b.type) {
    case 'paragraph':
      return <p key={key}>{b.children.map(inline)}</p>;
    case 'heading':
      return (
        <p key={key}>
          <strong>{b.children.map(inline)}</strong>
        </p>
      );
    case 'code':
      return (
        <pre key={key}>
          <code>{b.text}</code>
        </pre>
      );
    case 'list': {
      const items = b.items.map((item, i) => <li key={i}>{item.map(inline)}</li>);
      return b.ordered ? (
        <ol key={key} start={b.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
  }
}

function inline(t: Inline, key: number): JSX.Element | string {
  switch (t.type) {
    case 'text':
      return t.text;
    case 'br':
      return <br key={key} />;
    case 'code':
      return <code key={key}>{t.text}</code>;
    case 'strong':
      return <strong key={key}>{t.children.map(inline)}</strong>;
    case 'em':
      return <em key={key}>{t.children.map(inline)}</em>;
    case 'link':
      return (
        <a key={key} href={t.href} target="_blank" rel="noopener noreferrer nofollow">
          {t.children.map(inline)}
        </a>
      );
  }
}
