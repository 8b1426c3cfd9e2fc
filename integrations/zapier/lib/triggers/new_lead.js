'use strict';

const { subscribe, unsubscribe, event, newestLeads } = require('./hooks');
const sample = require('../../samples/lead.json');

module.exports = {
  key: 'new_lead',
  noun: 'Lead',
  display: {
    label: 'New Lead',
    description: 'Triggers when a lead is created: by an import, the API, a form, Apollo sourcing or a scenario.',
    important: true,
  },
  operation: {
    type: 'hook',
    performSubscribe: subscribe('lead.created'),
    performUnsubscribe: unsubscribe,
    // One record per delivery: the lead as Leadgen shows it, with where it came from.
    perform: async (z, bundle) => {
      const { data } = event(bundle);
      if (!data.lead) return [];
      return [{ ...data.lead, source: data.source }];
    },
    performList: async (z, bundle) => newestLeads(z, bundle),
    sample,
    outputFields: [
      { key: 'id', label: 'Lead ID' },
      { key: 'email', label: 'E-mail' },
      { key: 'first_name', label: 'First name' },
      { key: 'last_name', label: 'Last name' },
      { key: 'title', label: 'Title' },
      { key: 'company__name', label: 'Company' },
      { key: 'status', label: 'Status' },
      { key: 'source', label: 'Source' },
    ],
  },
};
