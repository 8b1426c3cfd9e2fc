'use strict';

const { api } = require('../http');
const sample = require('../../samples/lead.json');

// POST /api/v1/leads merges: a lead that shares an e-mail, LinkedIn URL or Apollo id with one already there
// updates it (newer values win, the old ones stay in its history) instead of making a duplicate.
module.exports = {
  key: 'create_or_update_lead',
  noun: 'Lead',
  display: {
    label: 'Create or Update Lead',
    description: 'Adds a lead, or updates the one with the same e-mail, LinkedIn URL or Apollo id.',
    important: true,
  },
  operation: {
    inputFields: [
      { key: 'email', label: 'E-mail', helpText: 'An e-mail, a LinkedIn URL or a name identifies the person.' },
      { key: 'first_name', label: 'First name' },
      { key: 'last_name', label: 'Last name' },
      { key: 'title', label: 'Title' },
      { key: 'linkedin_url', label: 'LinkedIn URL' },
      { key: 'phone', label: 'Phone' },
      { key: 'company', label: 'Company name' },
      { key: 'company_domain', label: 'Company website or domain' },
      { key: 'country', label: 'Country' },
      { key: 'tags', label: 'Tags', list: true },
      { key: 'status', label: 'Status', choices: ['new', 'enriched', 'contacted', 'replied', 'qualified', 'disqualified'] },
    ],
    perform: async (z, bundle) => {
      const input = bundle.inputData;
      const body = {};
      for (const key of ['email', 'first_name', 'last_name', 'title', 'linkedin_url', 'country', 'status']) {
        if (input[key]) body[key] = input[key];
      }
      if (input.phone) body.phones = [input.phone];
      if (input.tags && input.tags.length) body.tags = input.tags;
      if (input.company || input.company_domain) {
        body.company = {};
        if (input.company) body.company.name = input.company;
        if (input.company_domain) body.company.domain = input.company_domain;
      }
      const response = await z.request({ url: api(bundle, '/leads'), method: 'POST', body });
      return response.data;
    },
    sample,
  },
};
