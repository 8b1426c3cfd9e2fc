// How the popup words a person and what Leadgen knows of them. Pure: the time to measure "ago" from is given.

export function displayName(person) {
  return [person.first_name, person.last_name].filter(Boolean).join(' ') || person.emails[0] || person.linkedin_url || 'Unnamed';
}

export function describeRole(person) {
  const company = person.company_name || person.company_domain;
  return [person.title, company].filter(Boolean).join(' at ');
}

export function ago(iso, now) {
  const then = Date.parse(iso ?? '');
  if (!Number.isFinite(then)) return '';
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 60) return `${days} day${days === 1 ? '' : 's'} ago`;
  return `${Math.round(days / 30)} months ago`;
}

const STATUS_WORDS = { new: 'New', enriched: 'Enriched', contacted: 'Contacted', replied: 'Replied', qualified: 'Qualified', disqualified: 'Disqualified' };

/** The facts shown under a person Leadgen knows: status, owner, tags, last activity, sequence. */
export function describeKnown(known, now) {
  if (!known) return [];
  const { lead, lastActivityAt, sequences } = known;
  const facts = [STATUS_WORDS[lead.status] ?? lead.status];
  if (lead.owner) facts.push(`owner ${lead.owner}`);
  if (lead.tags?.length) facts.push(`tags ${lead.tags.join(', ')}`);
  const when = ago(lastActivityAt, now);
  if (when) facts.push(`last activity ${when}`);
  const current = sequences?.[0];
  if (current) facts.push(`${current.sequence_name} (${current.status}, step ${current.step})`);
  return facts;
}

const OUTCOME_WORDS = { created: 'Added to Leadgen', merged: 'Merged into the lead Leadgen had', unchanged: 'Already in Leadgen, nothing new', rejected: 'Not captured' };

export function describeOutcome(outcome) {
  const words = [OUTCOME_WORDS[outcome.outcome] ?? outcome.outcome];
  if (outcome.problem) words.push(outcome.problem);
  if (outcome.enrolment) words.push(outcome.enrolment);
  return words.join(' · ');
}
