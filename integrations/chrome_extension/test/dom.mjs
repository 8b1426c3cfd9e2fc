// Pages for the tests: a fixture's HTML parsed by jsdom (Debian's node-jsdom, found through NODE_PATH, which
// scripts/test sets, or where Debian installs it), as the popup parses a captured page with DOMParser.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function loadJSDOM() {
  try {
    return require('jsdom').JSDOM;
  } catch {
    return require('/usr/share/nodejs/jsdom').JSDOM;
  }
}

export const JSDOM = loadJSDOM();

export function fixture(name) {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** The document of a fixture page, as found at `url`; scripts are not run. */
export function page(name, url) {
  return new JSDOM(fixture(name), { url }).window.document;
}

export function html(markup, url = 'https://example.com/') {
  return new JSDOM(markup, { url }).window.document;
}
