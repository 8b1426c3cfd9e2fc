import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LeadgenClient, LeadgenError } from '../src/api.js';
import { capture, identifiersOf, leadPayload, lookUp, parseTags } from '../src/capture.js';
import { checkAPIKey, checkServerURL } from '../src/settings.js';

const ada = {
  first_name: 'Ada', last_name: 'Lovelace', title: 'Analyst', company_name: 'Engines', company_domain: 'engines.example',
  company_linkedin_url: '', location: 'London, United Kingdom', city: 'London', state: '', country: 'United Kingdom',
  emails: ['ada@engines.example', 'ada@home.example'], phones: ['+44 20 7946 0000'],
  linkedin_url: 'https://www.linkedin.com/in/ada', source_url: 'https://www.linkedin.com/in/ada/',
};
const bob = { ...ada, first_name: 'Bob', emails: [], phones: [], linkedin_url: '', company_domain: '' };

/** A fetch that answers from a table of handlers and records every call. */
function fakeFetch(handlers) {
  const calls = [];
  const fetch = async (url, init) => {
    const path = new URL(url).pathname;
    calls.push({ path, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : null, credentials: init.credentials });
    const handler = handlers[`${init.method} ${path}`];
    if (!handler) throw new TypeError('Failed to fetch');
    const [status, body, headers = {}] = handler(calls.at(-1).body);
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers });
  };
  return { fetch, calls };
}

test('a person becomes the lead the batch API reads', () => {
  assert.deepEqual(leadPayload(ada, ['linkedin']), {
    first_name: 'Ada', last_name: 'Lovelace', title: 'Analyst', email: 'ada@engines.example',
    other_emails: ['ada@home.example'], phones: ['+44 20 7946 0000'], linkedin_url: 'https://www.linkedin.com/in/ada',
    city: 'London', country: 'United Kingdom', company: { name: 'Engines', domain: 'engines.example' }, tags: ['linkedin'],
  });
  assert.deepEqual(identifiersOf(ada), { email: 'ada@engines.example', linkedin_url: 'https://www.linkedin.com/in/ada' });
  assert.equal(identifiersOf(bob), null);
  assert.deepEqual(parseTags(' linkedin, Q1 event,,linkedin '), ['linkedin', 'Q1 event']);
});

test('the lookup asks once for everyone it can identify and marks who is known', async () => {
  const { fetch, calls } = fakeFetch({
    'POST /api/v1/leads/lookup': () => [200, { data: [{ index: 0, matched_by: 'email', lead: { id: 'L1', status: 'contacted', tags: [] }, sequences: [] }] }],
  });
  const client = new LeadgenClient({ serverURL: 'https://leadgen.example/', apiKey: 'k1', fetch });
  const people = await lookUp(client, [bob, ada]);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].body, { people: [{ email: 'ada@engines.example', linkedin_url: 'https://www.linkedin.com/in/ada' }] });
  assert.equal(calls[0].headers.authorization, 'Bearer k1');
  assert.equal(calls[0].credentials, 'omit');
  assert.equal(people[0].known, null);
  assert.equal(people[1].known.lead.id, 'L1');
});

test('a capture reports each person, the rejected one with its field, and enrols the others', async () => {
  const { fetch, calls } = fakeFetch({
    'POST /api/v1/leads/batch': () => [200, {
      data: [
        { index: 0, outcome: 'created', lead_id: 'L1' },
        { index: 1, outcome: 'rejected', reason: 'the lead has invalid fields', errors: [{ field: 'country', message: "'Texas' is not a country" }] },
      ],
      summary: {},
    }],
    'POST /api/v1/sequences/S%201/enroll': () => [200, { enrolled: 0, skipped: [{ lead_id: 'L1', reason: 'no_email' }] }],
  });
  const client = new LeadgenClient({ serverURL: 'https://leadgen.example', apiKey: 'k', fetch });
  const outcomes = await capture(client, { people: [ada, bob], tags: ['x'], sequenceID: 'S 1', pageURL: 'https://page.example/' });
  assert.deepEqual(calls[0].body.source, { kind: 'extension', url: 'https://page.example/' });
  assert.deepEqual(calls[1].body, { lead_ids: ['L1'] });
  assert.equal(outcomes[0].outcome, 'created');
  assert.equal(outcomes[0].enrolment, 'not enrolled: no e-mail address to send to');
  assert.equal(outcomes[1].outcome, 'rejected');
  assert.match(outcomes[1].problem, /country: 'Texas' is not a country/u);
  assert.equal(outcomes[1].enrolment, '');
});

test('failures read as what to do: server down, key refused, slow down', async () => {
  const down = new LeadgenClient({ serverURL: 'https://leadgen.example', apiKey: 'k', fetch: fakeFetch({}).fetch });
  await assert.rejects(down.me(), (error) => error instanceof LeadgenError && /not reachable at https:\/\/leadgen\.example/u.test(error.message));
  const revoked = new LeadgenClient({
    serverURL: 'https://leadgen.example', apiKey: 'k',
    fetch: fakeFetch({ 'GET /api/v1/me': () => [401, { title: 'Unauthorized', detail: 'no valid API key' }] }).fetch,
  });
  await assert.rejects(revoked.me(), (error) => error.status === 401 && /revoked or mistyped/u.test(error.message));
  const busy = new LeadgenClient({
    serverURL: 'https://leadgen.example', apiKey: 'k',
    fetch: fakeFetch({ 'GET /api/v1/me': () => [429, { detail: 'slow down' }, { 'retry-after': '7' }] }).fetch,
  });
  await assert.rejects(busy.me(), (error) => error.retryAfter === '7' && /7 seconds/u.test(error.message));
});

test('settings are checked before they are kept', () => {
  assert.deepEqual(checkServerURL('leadgen.example.com/'), { url: 'https://leadgen.example.com' });
  assert.deepEqual(checkServerURL('http://127.0.0.1:8080'), { url: 'http://127.0.0.1:8080' });
  assert.match(checkServerURL('ftp://x').error, /https/u);
  assert.match(checkServerURL('https://me:pw@x.example').error, /password/u);
  assert.match(checkServerURL('').error, /address/u);
  assert.deepEqual(checkAPIKey(' lg_abc '), { key: 'lg_abc' });
  assert.match(checkAPIKey('a b').error, /spaces/u);
});
