/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small self-contained page in the look of Microsoft's sign-in screens (no external fonts or scripts). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f2f2;color:#1b1b1b}
  main{max-width:440px;margin:6vh auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
  .banner{font-size:13px;background:#fff4ce;border:1px solid #e8d48b;padding:6px 10px;margin-bottom:16px}
  h1{font-size:24px;font-weight:600;margin:0 0 8px}
  p{font-size:15px;line-height:1.4}
  ul{list-style:none;padding:0;margin:16px 0 0}
  li{margin:0 0 8px}
  button.account{width:100%;text-align:left;background:#fff;border:1px solid #c8c8c8;padding:10px 12px;cursor:pointer;font:inherit}
  button.account:hover,button.account:focus{background:#f3f6fb;border-color:#0067b8;outline:none}
  .name{display:block;font-weight:600}
  .meta{display:block;font-size:13px;color:#5b5b5b}
  .role{display:inline-block;font-size:12px;background:#e8f1fb;color:#004e8c;padding:1px 6px;margin-top:4px}
  .error{color:#a4262c}
  .primary{background:#0067b8;color:#fff;border:0;padding:8px 20px;font:inherit;cursor:pointer}
  .secondary{background:#ccc;color:#1b1b1b;border:0;padding:8px 20px;font:inherit;cursor:pointer}
</style></head>
<body><main><div class="banner">Simulated Microsoft Entra ID — no real tenant is involved.</div>${body}</main></body></html>`;
}
