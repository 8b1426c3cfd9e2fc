// What happens between "these people are on the page" and "they are in Leadgen": the identifiers a lookup
// sends, the lead each person becomes, and a capture's outcome for each person. Pure, but for the client.

import { LeadgenError } from './api.js';

/** A person's key in the popup: stable across reopenings of the same page. */
export function personKey(person) {
  return person.linkedin_url || person.emails[0] || `${person.first_name} ${person.last_name}|${person.company_domain || person.company_name}`.toLowerCase();
}

/** What the lookup can find a person by; null when it has nothing to look by. */
export function identifiersOf(person) {
  const identifiers = {};
  if (person.emails[0]) identifiers.email = person.emails[0];
  if (person.linkedin_url) identifiers.linkedin_url = person.linkedin_url;
  return Object.keys(identifiers).length > 0 ? identifiers : null;
}

/** The lead the batch API is sent for a person, with the tags chosen in the popup. */
export function leadPayload(person, tags) {
  const lead = {};
  const set = (key, value) => {
    if (value) lead[key] = value;
  };
  set('first_name', person.first_name);
  set('last_name', person.last_name);
  set('title', person.title);
  set('email', person.emails[0]);
  if (person.emails.length > 1) lead.other_emails = person.emails.slice(1);
  if (person.phones.length > 0) lead.phones = person.phones;
  set('linkedin_url', person.linkedin_url);
  set('city', person.city);
  set('state', person.state);
  set('country', person.country);
  const company = {};
  if (person.company_name) company.name = person.company_name;
  if (person.company_domain) company.domain = person.company_domain;
  if (person.company_linkedin_url) company.linkedin_url = person.company_linkedin_url;
  if (Object.keys(company).length > 0) lead.company = company;
  if (tags.length > 0) lead.tags = tags;
  return lead;
}

/** Tags typed as "linkedin, Q1 event": trimmed, de-duplicated, none empty. */
export function parseTags(text) {
  return [...new Set(String(text ?? '').split(',').map((tag) => tag.trim()).filter(Boolean))].slice(0, 50);
}

/** The people of a page with what Leadgen knows of each (`known`), or a lookup error per person. */
export async function lookUp(client, people) {
  const asked = people.map((person, index) => ({ index, identifiers: identifiersOf(person) })).filter((entry) => entry.identifiers);
  const found = new Map();
  if (asked.length > 0) {
    const results = await client.lookup(asked.map((entry) => entry.identifiers));
    for (const result of results) {
      const entry = asked[result.index];
      if (entry) found.set(entry.index, result);
    }
  }
  return people.map((person, index) => {
    const result = found.get(index);
    return {
      ...person,
      known: result?.lead
        ? { lead: result.lead, lastActivityAt: result.last_activity_at ?? null, sequences: result.sequences ?? [] }
        : null,
      lookupError: result?.error ? `${result.error.field}: ${result.error.message}` : '',
    };
  });
}

const SKIP_REASONS = {
  already_enrolled: 'already in this sequence',
  no_email: 'no e-mail address to send to',
  invalid_email: 'the e-mail address bounced or is invalid',
  undeliverable_email: 'the e-mail address reaches no mailbox',
  no_phone: 'no mobile number to text',
  suppressed: 'on the suppression list',
  active_elsewhere: 'active in another sequence',
  not_found: 'not found',
};

/**
 * Sends the chosen people through the normal merge (the batch API, as the extension's capture from `pageURL`),
 * then enrols them in the sequence, if one is chosen. One outcome per person, in order: `created`, `merged`,
 * `unchanged` or `rejected` with the fields at fault, and the enrolment's result.
 */
export async function capture(client, { people, tags, sequenceID, pageURL }) {
  const results = await client.capture(people.map((person) => leadPayload(person, tags)), pageURL);
  const outcomes = people.map((person, index) => {
    const result = results[index] ?? { outcome: 'rejected', reason: 'Leadgen gave no answer for this person' };
    return {
      key: personKey(person),
      outcome: result.outcome,
      leadId: result.lead_id ?? null,
      problem:
        result.outcome === 'rejected'
          ? [result.reason, ...(result.errors ?? []).map((error) => `${error.field}: ${error.message}`)].filter(Boolean).join(' — ')
          : '',
      enrolment: '',
    };
  });
  const leadIDs = outcomes.filter((outcome) => outcome.leadId).map((outcome) => outcome.leadId);
  if (sequenceID && leadIDs.length > 0) {
    try {
      const receipt = await client.enroll(sequenceID, leadIDs);
      const skipped = new Map((receipt?.skipped ?? []).map((entry) => [entry.lead_id, entry.reason]));
      for (const outcome of outcomes) {
        if (!outcome.leadId) continue;
        const reason = skipped.get(outcome.leadId);
        outcome.enrolment = reason ? `not enrolled: ${SKIP_REASONS[reason] ?? reason.replaceAll('_', ' ')}` : 'enrolled';
      }
    } catch (error) {
      const message = error instanceof LeadgenError ? error.message : String(error);
      for (const outcome of outcomes) if (outcome.leadId) outcome.enrolment = `not enrolled: ${message}`;
    }
  }
  return outcomes;
}
