'use strict';

const { api } = require('../http');
const sample = require('../../samples/lead.json');

module.exports = {
  key: 'add_tag',
  noun: 'Tag',
  display: { label: 'Add Tag to Lead', description: 'Adds tags to a lead; the tags it has stay.' },
  operation: {
    inputFields: [
      { key: 'lead_id', label: 'Lead', required: true, dynamic: 'new_lead.id.email', search: 'find_lead.id' },
      { key: 'tags', label: 'Tags', required: true, list: true },
    ],
    perform: async (z, bundle) => {
      const id = encodeURIComponent(bundle.inputData.lead_id);
      const response = await z.request({
        url: api(bundle, `/leads/${id}/tags`), method: 'POST', body: { tags: [].concat(bundle.inputData.tags) },
      });
      return response.data;
    },
    sample,
  },
};
