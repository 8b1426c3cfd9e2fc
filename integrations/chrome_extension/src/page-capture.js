// Runs in the page, injected by the popup through chrome.scripting when the user opens it there (activeTab):
// it hands back the page's address and HTML as they are now, and the text of the page's own vCard links
// (same site, a few, small). It is serialized on its own, so it refers to nothing outside itself.

export async function capturePage() {
  const MAX_HTML = 8_000_000;
  const MAX_VCARDS = 5;
  const MAX_VCARD_BYTES = 256 * 1024;
  const html = document.documentElement.outerHTML;
  const vcards = {};
  const links = [...document.querySelectorAll('a[href]')]
    .map((a) => a.href)
    .filter((href) => /\.vcf(?:$|[?#])/iu.test(href))
    .filter((href) => {
      try {
        return new URL(href).origin === location.origin;
      } catch {
        return false;
      }
    });
  for (const href of [...new Set(links)].slice(0, MAX_VCARDS)) {
    try {
      const response = await fetch(href, { credentials: 'same-origin', signal: AbortSignal.timeout(5000) });
      const text = response.ok ? await response.text() : '';
      if (text.length <= MAX_VCARD_BYTES && /BEGIN:VCARD/iu.test(text)) vcards[href] = text;
    } catch {
      // A vCard that cannot be read is left out; the page's other people still count.
    }
  }
  return { url: location.href, title: document.title, html: html.length <= MAX_HTML ? html : html.slice(0, MAX_HTML), vcards };
}
