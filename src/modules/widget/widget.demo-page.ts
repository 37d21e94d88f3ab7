/**
 * The page at /demo: a made-up shop's product page with the demo channel's chat widget on it, so
 * a newcomer talks to the demo agent a minute after `npm start`, the way their customers would.
 */

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1c1917;background:#fafaf9}
a{color:inherit}.wrap{max-width:1080px;margin:0 auto;padding:0 24px}
.bar{background:#1c1917;color:#e7e5e4;font-size:13px;text-align:center;padding:8px 16px}
header{background:#fff;border-bottom:1px solid #e7e5e4}
header .wrap{display:flex;align-items:center;gap:32px;height:68px}
.logo{display:flex;align-items:center;gap:10px;font-weight:800;font-size:19px;letter-spacing:-.02em;text-decoration:none}
.logo i{display:grid;place-items:center;width:32px;height:32px;border-radius:9px;background:#c2410c;color:#fff;font-style:normal;font-size:16px}
nav{display:flex;gap:24px;font-size:15px;color:#57534e;flex:1}nav a{text-decoration:none}nav a:hover{color:#1c1917}
.cart{font-size:15px;color:#57534e;text-decoration:none}
.crumbs{font-size:13px;color:#78716c;margin:24px 0 16px}
.product{display:grid;grid-template-columns:1.1fr 1fr;gap:48px;align-items:start}
.photo{background:linear-gradient(160deg,#fed7aa,#fdba74 55%,#fb923c);border-radius:24px;aspect-ratio:1/1;display:grid;place-items:center;box-shadow:inset 0 0 0 1px rgb(0 0 0/.04)}
.photo svg{width:62%;filter:drop-shadow(0 24px 30px rgb(124 45 18/.35))}
.thumbs{display:flex;gap:12px;margin-top:14px}.thumbs span{width:72px;height:72px;border-radius:14px;background:#fde7d3;border:2px solid transparent}.thumbs span:first-child{border-color:#c2410c}
.badge{display:inline-block;background:#ecfccb;color:#3f6212;font-size:12px;font-weight:700;padding:3px 10px;border-radius:999px;letter-spacing:.02em}
h1{font-size:38px;line-height:1.1;letter-spacing:-.03em;margin:14px 0 8px}
.rating{color:#78716c;font-size:14px}.rating b{color:#ca8a04;letter-spacing:2px}
.price{font-size:28px;font-weight:750;margin:18px 0 4px}.price s{font-size:18px;color:#a8a29e;font-weight:500;margin-left:8px}
.lead{color:#44403c}
.label{font-size:13px;font-weight:700;text-transform:uppercase;letter-spacing:.06em;color:#78716c;margin:22px 0 10px}
.swatches{display:flex;gap:10px}.swatches span{width:34px;height:34px;border-radius:50%;box-shadow:0 0 0 2px #fff,0 0 0 3px #d6d3d1}.swatches span:first-child{box-shadow:0 0 0 2px #fff,0 0 0 4px #1c1917}
.buy{display:flex;gap:12px;margin-top:26px}
.buy button{flex:1;height:52px;border-radius:14px;border:0;font:inherit;font-weight:700;font-size:16px;cursor:pointer}
.primary{background:#1c1917;color:#fff}.secondary{background:#fff;color:#1c1917;box-shadow:inset 0 0 0 1.5px #d6d3d1}
.perks{list-style:none;padding:0;margin:26px 0 0;display:grid;gap:10px;font-size:14.5px;color:#44403c}.perks li::before{content:'✓';color:#16a34a;font-weight:800;margin-right:10px}
.tip{margin:56px 0 64px;background:#fff;border:1px solid #e7e5e4;border-radius:20px;padding:24px 28px;display:flex;gap:20px;align-items:center}
.tip strong{display:block;font-size:17px}.tip p{margin:4px 0 0;color:#57534e}
.tip code{background:#f5f5f4;border-radius:6px;padding:2px 6px;font-size:14px}
.warn{background:#fef3c7;color:#92400e;padding:12px 16px;border-radius:12px;margin:16px 0}
footer{border-top:1px solid #e7e5e4;color:#78716c;font-size:13px;padding:24px 0 40px}
@media (max-width:820px){.product{grid-template-columns:1fr;gap:28px}nav{display:none}h1{font-size:30px}.tip{flex-direction:column;align-items:flex-start}}
`;

const BACKPACK = `<svg viewBox="0 0 200 240" aria-hidden="true">
<path d="M70 40c0-22 60-22 60 0v14h-12V42c0-10-36-10-36 0v12H70z" fill="#7c2d12"/>
<rect x="38" y="50" width="124" height="176" rx="40" fill="#1f2937"/>
<rect x="38" y="50" width="124" height="88" rx="40" fill="#374151"/>
<rect x="58" y="136" width="84" height="70" rx="18" fill="#111827"/>
<rect x="70" y="150" width="60" height="6" rx="3" fill="#c2410c"/>
<rect x="92" y="94" width="16" height="26" rx="5" fill="#c2410c"/>
<circle cx="100" cy="170" r="4" fill="#9ca3af"/>
</svg>`;

function shell(body: string, snippet = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trail Pack 28 — Parley Demo Store</title>
<style>${STYLE}</style></head>
<body>
<div class="bar">Free shipping on orders over $50 · 30-day returns</div>
<header><div class="wrap"><a class="logo" href="/demo"><i>P</i>Parley Demo Store</a>
<nav><a href="/demo">New</a><a href="/demo">Bags</a><a href="/demo">Outdoor</a><a href="/demo">Sale</a></nav>
<a class="cart" href="/demo">Cart (0)</a></div></header>
<main class="wrap">${body}</main>
<footer><div class="wrap">Parley Demo Store is not a real shop: it is a page for trying Parley's chat widget. Nothing here is for sale.</div></footer>
${snippet}
</body></html>`;
}

/** The demo shop with `snippet` (the demo channel's embed line) pasted in, as a business would. */
export function demoPage(snippet: string, warning: string | null): string {
  return shell(
    `<p class="crumbs">Home / Bags / Backpacks</p>
${warning ? `<p class="warn">${warning}</p>` : ''}
<section class="product">
  <div><div class="photo">${BACKPACK}</div><div class="thumbs"><span></span><span></span><span></span><span></span></div></div>
  <div>
    <span class="badge">BESTSELLER</span>
    <h1>Trail Pack 28</h1>
    <div class="rating"><b>★★★★★</b> 4.8 · 1,204 reviews</div>
    <div class="price">$89.00<s>$109.00</s></div>
    <p class="lead">A 28-litre everyday backpack in recycled ripstop with a padded 16" laptop sleeve, a water-bottle pocket on each side and a lifetime warranty.</p>
    <div class="label">Colour — Charcoal</div>
    <div class="swatches"><span style="background:#1f2937"></span><span style="background:#c2410c"></span><span style="background:#3f6212"></span><span style="background:#1e3a8a"></span></div>
    <div class="buy"><button class="primary" type="button">Add to cart</button><button class="secondary" type="button">♡ Save</button></div>
    <ul class="perks"><li>Ships within 24 hours</li><li>Free returns for 30 days</li><li>Lifetime warranty</li></ul>
  </div>
</section>
<section class="tip">
  <div><strong>Questions? Ask our assistant.</strong>
  <p>Open the chat in the corner and try <em>“What is your return policy?”</em> or <em>“Do you ship abroad?”</em> — then ask for a person and answer from the inbox.</p>
  <p>This page embeds the widget with one line, the same one you paste into your own site: <code>&lt;script async src=".../widget.js" data-key="pk_live_…"&gt;&lt;/script&gt;</code></p></div>
</section>`,
    snippet,
  );
}

/** /demo when the workspace has no web_widget channel to show. */
export const NO_DEMO_PAGE = shell(`<section class="tip" style="margin-top:48px">
  <div><strong>No demo chat here</strong>
  <p>This Parley has no demo chat widget channel. An admin can create a <code>web_widget</code> channel (Admin → Channels, or <code>POST /api/v1/channels</code>) and paste its snippet into any page.</p></div>
</section>`);
