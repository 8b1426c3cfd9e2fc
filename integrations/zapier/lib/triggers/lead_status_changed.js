'use strict';

const { subscribe, unsubscribe, event, newestLeads } = require('./hooks');
const lead = require('../../samples/lead.json');

const sample = { id: `${lead.id}:qualified:2026-12-07T10:15:00.000Z`, lead_id: lead.id, from: 'contacted', to: 'qualified', changed_at: '2026-12-07T10:15:00.000Z', lead };

module.exports = {
  key: 'lead_status_changed',
  noun: 'Status change',
  display: {
    label: 'Lead Status Changed',
    description: 'Triggers when a lead moves to another status (enriched, contacted, replied, qualified, …).',
  },
  operation: {
    type: 'hook',
    inputFields: [
      {
        key: 'to', label: 'Only to this status', required: false,
        choices: ['new', 'enriched', 'contacted', 'replied', 'qualified', 'disqualified'],
        helpText: 'Leave empty for every change.',
      },
    ],
    performSubscribe: subscribe('lead.status_changed'),
    performUnsubscribe: unsubscribe,
    perform: async (z, bundle) => {
      const { timestamp, data } = event(bundle);
      if (!data.lead_id) return [];
      if (bundle.inputData.to && data.to !== bundle.inputData.to) return [];
      // Each change is its own record: the lead, the status it reached and when.
      return [{ id: `${data.lead_id}:${data.to}:${timestamp}`, lead_id: data.lead_id, from: data.from, to: data.to, changed_at: timestamp, lead: data.lead }];
    },
    // Samples: the newest leads in the status they are in, with ids as stable as that status.
    performList: async (z, bundle) => {
      const leads = await newestLeads(z, bundle);
      return leads
        .filter((l) => !bundle.inputData.to || l.status === bundle.inputData.to)
        .map((l) => ({ id: `${l.id}:${l.status}:${l.updated_at}`, lead_id: l.id, from: null, to: l.status, changed_at: l.updated_at, lead: l }));
    },
    sample,
  },
};
