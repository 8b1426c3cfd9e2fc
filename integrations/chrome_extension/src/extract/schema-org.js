// schema.org Person and Organization on any page, in JSON-LD (<script type="application/ld+json">) or in
// microdata (itemscope itemtype="https://schema.org/Person"): team pages, author bylines, speaker lists and
// LinkedIn's own public pages carry them. A person's organization (worksFor, affiliation) becomes their
// company; a LinkedIn address among sameAs, their LinkedIn URL.

import { emptyResult, isIdentifiable, makeCompany, makePerson } from './person.js';
import { canonicalLinkedIn } from './linkedin-url.js';
import { clean, textOf } from './text.js';

const MAX_NODES = 2000;
const MAX_DEPTH = 12;
const MAX_SCRIPT_BYTES = 2_000_000;

export function applies() {
  return true;
}

export function extract(document, url) {
  const result = emptyResult();
  const nodes = typedNodes([...jsonLDRoots(document), ...microdataRoots(document)]);
  for (const { node, top } of nodes) {
    if (hasType(node, 'Person')) {
      const person = personFrom(node, url);
      if (person && isIdentifiable(person)) result.people.push(person);
    } else if (top && hasType(node, ORGANIZATION_TYPES)) {
      const company = companyFrom(node);
      if (company.name || company.domain) result.companies.push(company);
    }
  }
  return result;
}

const ORGANIZATION_TYPES = ['Organization', 'Corporation', 'LocalBusiness', 'NGO', 'EducationalOrganization', 'ProfessionalService'];

function hasType(node, wanted) {
  const types = [node['@type']].flat().filter((type) => typeof type === 'string').map((type) => type.replace(/^.*[/#]/u, ''));
  return [wanted].flat().some((type) => types.includes(type));
}

function first(value) {
  const item = Array.isArray(value) ? value[0] : value;
  return item ?? '';
}

function text(value) {
  const item = first(value);
  if (typeof item === 'string' || typeof item === 'number') return clean(String(item));
  if (item && typeof item === 'object') return text(item.name ?? item['@value'] ?? '');
  return '';
}

function list(value) {
  return [value].flat().filter((item) => typeof item === 'string');
}

function personFrom(node, url) {
  const organization = first(node.worksFor ?? node.affiliation);
  const orgNode = organization && typeof organization === 'object' ? organization : { name: organization };
  const address = first(node.address ?? node.homeLocation);
  const location =
    typeof address === 'string'
      ? address
      : [text(address?.addressLocality), text(address?.addressRegion), text(address?.addressCountry)].filter(Boolean).join(', ');
  const links = [...list(node.sameAs), ...list(node.url)];
  return makePerson(
    {
      name: text(node.name),
      first_name: text(node.givenName),
      last_name: text(node.familyName),
      title: text(node.jobTitle),
      company_name: text(orgNode.name),
      company_domain: text(orgNode.url),
      company_linkedin_url: list(orgNode.sameAs).find((link) => canonicalLinkedIn(link, 'company')) ?? '',
      location,
      emails: list(node.email),
      phones: list(node.telephone),
      linkedin_url: links.find((link) => canonicalLinkedIn(link, 'profile')) ?? '',
    },
    url,
  );
}

function companyFrom(node) {
  const address = first(node.address);
  return makeCompany({
    name: text(node.name) || text(node.legalName),
    domain: text(node.url),
    linkedin_url: list(node.sameAs).find((link) => canonicalLinkedIn(link, 'company')) ?? '',
    industry: text(node.industry),
    location: typeof address === 'string' ? address : [text(address?.addressLocality), text(address?.addressCountry)].filter(Boolean).join(', '),
  });
}

/**
 * Every object with a @type among these roots, nested values included, within bounds; `top` marks the roots
 * and @graph members, the page's own subjects, as against a blog post's publisher or a product's brand.
 */
function typedNodes(roots) {
  const nodes = [];
  const visit = (value, depth, top) => {
    if (nodes.length >= MAX_NODES || depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, MAX_NODES)) visit(item, depth + 1, top);
      return;
    }
    if (value['@type']) nodes.push({ node: value, top });
    for (const [key, item] of Object.entries(value)) {
      if (key !== '@context') visit(item, depth + 1, key === '@graph');
    }
  };
  for (const root of roots) visit(root, 0, true);
  return nodes;
}

/** The parsed JSON-LD scripts of the page; one that does not parse is skipped. */
function jsonLDRoots(document) {
  const roots = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    const source = script.textContent ?? '';
    if (source.length > MAX_SCRIPT_BYTES) continue;
    try {
      roots.push(JSON.parse(source));
    } catch {
      // A page's broken JSON-LD is the page's problem: the rest of the page is still read.
    }
  }
  return roots;
}

/** The page's top-level schema.org microdata items, read into the same shape as JSON-LD nodes. */
function microdataRoots(document) {
  const nodes = [];
  for (const scope of [...document.querySelectorAll('[itemscope][itemtype*="schema.org/"]')].slice(0, MAX_NODES)) {
    if (scope.parentElement?.closest('[itemscope]')) continue; // nested items are read with their parent
    nodes.push(microdataItem(scope, 0));
  }
  return nodes.filter(Boolean);
}

function microdataItem(scope, depth) {
  if (depth > MAX_DEPTH) return null;
  const node = { '@type': (scope.getAttribute('itemtype') ?? '').split(/\s+/u)[0] };
  const properties = [...scope.querySelectorAll('[itemprop]')].filter((element) => element.parentElement?.closest('[itemscope]') === scope);
  for (const element of properties.slice(0, 200)) {
    const value = element.hasAttribute('itemscope') ? microdataItem(element, depth + 1) : microdataValue(element);
    for (const name of (element.getAttribute('itemprop') ?? '').split(/\s+/u).filter(Boolean)) {
      node[name] = node[name] === undefined ? value : [node[name], value].flat();
    }
  }
  return node;
}

function microdataValue(element) {
  if (element.hasAttribute('content')) return clean(element.getAttribute('content'));
  const tag = element.tagName.toLowerCase();
  if (tag === 'a' || tag === 'link' || tag === 'area') return element.getAttribute('href') ?? '';
  if (tag === 'img' || tag === 'audio' || tag === 'video' || tag === 'source') return element.getAttribute('src') ?? '';
  if (tag === 'meta') return element.getAttribute('content') ?? '';
  if (tag === 'time') return element.getAttribute('datetime') ?? textOf(element);
  return textOf(element);
}
