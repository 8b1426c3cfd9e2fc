'use strict';

const { api } = require('../http');
const sample = require('../../samples/lead.json');

module.exports = {
  key: 'change_status',
  noun: 'Status',
  display: { label: 'Change Lead Status', description: "Sets a lead's status (qualified, disqualified, …)." },
  operation: {
    inputFields: [
      { key: 'lead_id', label: 'Lead', required: true, dynamic: 'new_lead.id.email', search: 'find_lead.id' },
      {
        key: 'status', label: 'Status', required: true,
        choices: ['new', 'enriched', 'contacted', 'replied', 'qualified', 'disqualified'],
      },
    ],
    perform: async (z, bundle) => {
      const id = encodeURIComponent(bundle.inputData.lead_id);
      const response = await z.request({
        url: api(bundle, `/leads/${id}`), method: 'PATCH', body: { status: bundle.inputData.status },
      });
      return response.data;
    },
    sample,
  },
};
