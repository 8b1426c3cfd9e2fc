'use strict';

const { api } = require('../http');
const sample = require('../../samples/lead.json');

// Finds a lead by its id, an e-mail (its main or another one) or its LinkedIn URL, as Leadgen matches them
// (case and URL spelling do not matter).
module.exports = {
  key: 'find_lead',
  noun: 'Lead',
  display: { label: 'Find Lead', description: 'Finds a lead by e-mail, LinkedIn URL or id.' },
  operation: {
    inputFields: [
      { key: 'email', label: 'E-mail' },
      { key: 'linkedin_url', label: 'LinkedIn URL' },
      { key: 'id', label: 'Lead ID' },
    ],
    perform: async (z, bundle) => {
      const { email, linkedin_url: linkedin, id } = bundle.inputData;
      if (id) {
        const response = await z.request({
          url: api(bundle, `/leads/${encodeURIComponent(id)}`), skipThrowForStatus: true,
        });
        if (response.status === 404) return [];
        if (response.status >= 400) throw new z.errors.Error(`Leadgen answered ${response.status}`, 'LeadgenError', response.status);
        return [response.data];
      }
      const params = email ? { email } : linkedin ? { linkedin_url: linkedin } : null;
      if (!params) throw new z.errors.Error('Give an e-mail, a LinkedIn URL or a lead id.', 'InvalidInput', 400);
      const response = await z.request({ url: api(bundle, '/leads'), params: { ...params, limit: 1 } });
      return (response.data && response.data.data) || [];
    },
    sample,
  },
};
