// The shape every extractor returns: a person with Leadgen's lead fields, and a company.

import { clean, domainOf, emailFrom, parseLocation, phoneFrom, splitName } from './text.js';
import { canonicalLinkedIn } from './linkedin-url.js';

/** A person from what a page says; fields it does not say are empty. */
export function makePerson(found, sourceURL) {
  const names = found.first_name || found.last_name ? { first_name: clean(found.first_name), last_name: clean(found.last_name) } : splitName(found.name);
  const place = parseLocation(found.location);
  const emails = unique((found.emails ?? []).map(emailFrom).filter(Boolean));
  const phones = unique((found.phones ?? []).map(phoneFrom).filter(Boolean));
  return {
    first_name: names.first_name,
    last_name: names.last_name,
    title: clean(found.title),
    company_name: clean(found.company_name),
    company_domain: domainOf(found.company_domain ?? ''),
    company_linkedin_url: canonicalLinkedIn(found.company_linkedin_url ?? '', 'company') ?? '',
    location: place.location,
    city: place.city,
    state: place.state,
    country: place.country,
    emails,
    phones,
    linkedin_url: canonicalLinkedIn(found.linkedin_url ?? '', 'profile') ?? '',
    source_url: sourceURL,
  };
}

/** A company from what a page says. */
export function makeCompany(found) {
  return {
    name: clean(found.name),
    domain: domainOf(found.domain ?? ''),
    linkedin_url: canonicalLinkedIn(found.linkedin_url ?? '', 'company') ?? '',
    industry: clean(found.industry),
    location: clean(found.location),
  };
}

/** Whether a person has enough to be a lead: a way to tell them apart, as the server asks. */
export function isIdentifiable(person) {
  const named = person.first_name && person.last_name;
  return Boolean(
    person.emails.length > 0 || person.linkedin_url || (named && (person.company_name || person.company_domain || person.phones.length > 0)),
  );
}

export function emptyResult() {
  return { people: [], companies: [] };
}

export function unique(items) {
  return [...new Set(items)];
}
