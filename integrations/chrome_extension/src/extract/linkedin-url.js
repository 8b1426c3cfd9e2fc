// LinkedIn addresses written the way the Leadgen server writes them (LinkedInURL.swift): any surface form
// (no scheme, http, www., locale subdomains, trailing slashes, query strings, fragments, /pub/ paths, mixed
// case) becomes https://www.linkedin.com/in/<slug> or https://www.linkedin.com/company/<slug>. The cases in
// test/fixtures/linkedin-urls.json are checked against both implementations.

const PROFILE_KINDS = new Set(['in', 'pub']);
const COMPANY_KINDS = new Set(['company', 'school', 'showcase']);

/** Decodes %XX escapes byte by byte, as the server does; text that is not UTF-8 afterwards stays as it was. */
function percentDecoded(slug) {
  if (!slug.includes('%')) return slug;
  const source = new TextEncoder().encode(slug);
  const bytes = [];
  for (let i = 0; i < source.length; i++) {
    const high = source[i] === 0x25 && i + 2 < source.length ? hexValue(source[i + 1]) : -1;
    const low = high >= 0 ? hexValue(source[i + 2]) : -1;
    if (low >= 0) {
      bytes.push(high * 16 + low);
      i += 2;
    } else {
      bytes.push(source[i]);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)).toLowerCase();
  } catch {
    return slug;
  }
}

function hexValue(byte) {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

function isLinkedInHost(host) {
  return host === 'linkedin.com' || host.endsWith('.linkedin.com');
}

/**
 * The canonical address of a LinkedIn profile or company page, or null when `raw` is not one (or is one of
 * the other kind than `expected`, 'profile' or 'company').
 */
export function canonicalLinkedIn(raw, expected) {
  if (typeof raw !== 'string') return null;
  const text = raw.trim().slice(0, 2048);
  let rest = asciiLowercase(text);
  const scheme = rest.indexOf('://');
  if (scheme >= 0) rest = rest.slice(scheme + 3);
  const end = rest.search(/[?#]/);
  if (end >= 0) rest = rest.slice(0, end);
  const segments = rest.split('/').filter((segment) => segment.length > 0);
  if (segments.length < 3 || !isLinkedInHost(segments[0])) return null;
  let kind;
  if (PROFILE_KINDS.has(segments[1])) kind = 'profile';
  else if (COMPANY_KINDS.has(segments[1])) kind = 'company';
  else return null;
  const slug = percentDecoded(segments[2]);
  if (slug.length === 0 || /\s/u.test(slug)) return null;
  if (expected && expected !== kind) return null;
  return `https://www.linkedin.com/${kind === 'profile' ? 'in' : 'company'}/${slug}`;
}

/** Lower-cases ASCII letters only, as the server reads bytes. */
function asciiLowercase(text) {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
