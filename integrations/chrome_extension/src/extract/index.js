// Runs every extractor that applies to a page and merges what they found: one entry per person (by LinkedIn
// URL, e-mail, or name and company) and per company (by domain, LinkedIn URL or name). An extractor that
// fails on an odd page is skipped; the page then yields what the others found, or nothing.

import * as contactLinks from './contact-links.js';
import * as linkedinCompany from './linkedin-company.js';
import * as linkedinProfile from './linkedin-profile.js';
import * as linkedinSearch from './linkedin-search.js';
import * as schemaOrg from './schema-org.js';
import * as vcard from './vcard.js';
import { emptyResult, unique } from './person.js';

export const extractors = { linkedinProfile, linkedinSearch, linkedinCompany, schemaOrg, contactLinks, vcard };

const MAX_PEOPLE = 200;

export function extractAll(document, url, resources = {}) {
  const found = emptyResult();
  for (const extractor of Object.values(extractors)) {
    try {
      if (!extractor.applies(url)) continue;
      const result = extractor.extract(document, url, resources);
      found.people.push(...result.people);
      found.companies.push(...result.companies);
    } catch {
      // One extractor's trouble is not the page's: the others still count.
    }
  }
  return { people: mergePeople(found.people).slice(0, MAX_PEOPLE), companies: mergeCompanies(found.companies) };
}

function personKeys(person) {
  const keys = [];
  if (person.linkedin_url) keys.push(`li:${person.linkedin_url}`);
  for (const email of person.emails) keys.push(`email:${email}`);
  if (person.first_name && person.last_name && (person.company_name || person.company_domain)) {
    keys.push(`name:${person.first_name} ${person.last_name}|${(person.company_domain || person.company_name).toLowerCase()}`.toLowerCase());
  }
  return keys;
}

function mergePeople(people) {
  const merged = [];
  const byKey = new Map();
  for (const person of people) {
    const existing = personKeys(person).map((key) => byKey.get(key)).find(Boolean);
    if (existing) {
      for (const [field, value] of Object.entries(person)) {
        if (Array.isArray(value)) existing[field] = unique([...existing[field], ...value]);
        else if (!existing[field] && value) existing[field] = value;
      }
    } else {
      merged.push({ ...person, emails: [...person.emails], phones: [...person.phones] });
    }
    const target = existing ?? merged[merged.length - 1];
    for (const key of personKeys(target)) byKey.set(key, target);
  }
  return merged;
}

function mergeCompanies(companies) {
  const merged = new Map();
  for (const company of companies) {
    const key = company.domain || company.linkedin_url || company.name.toLowerCase();
    if (!key) continue;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...company });
    else for (const [field, value] of Object.entries(company)) if (!existing[field] && value) existing[field] = value;
  }
  return [...merged.values()];
}
