import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ago, describeKnown, describeOutcome, describeRole, displayName } from '../src/people-view.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');

test('what Leadgen knows of a person reads as a rep would say it', () => {
  const known = {
    lead: { status: 'contacted', owner: 'rita@ourteam.example', tags: ['vip', 'expo'] },
    lastActivityAt: '2026-03-07T12:00:00Z',
    sequences: [{ sequence_name: 'Q1 outbound', status: 'active', step: 2 }],
  };
  assert.deepEqual(describeKnown(known, NOW), [
    'Contacted', 'owner rita@ourteam.example', 'tags vip, expo', 'last activity 3 days ago', 'Q1 outbound (active, step 2)',
  ]);
  assert.deepEqual(describeKnown(null, NOW), []);
  assert.deepEqual(describeKnown({ lead: { status: 'new', tags: [] }, lastActivityAt: null, sequences: [] }, NOW), ['New']);
});

test('times, names and outcomes', () => {
  assert.equal(ago('2026-03-10T11:59:40Z', NOW), 'just now');
  assert.equal(ago('2026-03-10T11:15:00Z', NOW), '45 min ago');
  assert.equal(ago('2026-03-09T12:00:00Z', NOW), '1 day ago');
  assert.equal(ago('not a date', NOW), '');
  assert.equal(displayName({ first_name: '', last_name: '', emails: ['a@b.example'], linkedin_url: '' }), 'a@b.example');
  assert.equal(describeRole({ title: 'CTO', company_name: '', company_domain: 'acme.example' }), 'CTO at acme.example');
  assert.equal(describeOutcome({ outcome: 'rejected', problem: 'country: not a country', enrolment: '' }), 'Not captured · country: not a country');
});
