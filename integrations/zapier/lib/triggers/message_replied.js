'use strict';

const { subscribe, unsubscribe, event } = require('./hooks');
const lead = require('../../samples/lead.json');

const sample = { id: 'msg-0193f2a4', message_id: 'msg-0193f2a4', lead_id: lead.id, sequence_id: 'seq-0193f1', step_id: 'intro', channel: 'email', variant: null, replied_at: '2026-12-07T10:20:00.000Z', lead };

module.exports = {
  key: 'message_replied',
  noun: 'Reply',
  display: {
    label: 'New Reply',
    description: 'Triggers when a lead replies to a sequence message (the sequence stops for them).',
    important: true,
  },
  operation: {
    type: 'hook',
    performSubscribe: subscribe('message.replied'),
    performUnsubscribe: unsubscribe,
    perform: async (z, bundle) => {
      const { timestamp, data } = event(bundle);
      if (!data.message_id) return [];
      // A message is replied to once in Leadgen, so its id is the record's.
      return [{ id: data.message_id, ...data, replied_at: timestamp }];
    },
    performList: async () => [sample],
    sample,
  },
};
