'use strict';

const { api } = require('./http');

// An API key of the workspace (`leadgen apikey create --workspace W --role admin`) and where its Leadgen is.
module.exports = {
  type: 'custom',
  fields: [
    {
      key: 'base_url', label: 'Leadgen URL', required: true, type: 'string',
      helpText: 'Where your Leadgen answers, such as `https://leadgen.example.com`.',
    },
    {
      key: 'api_key', label: 'API key', required: true, type: 'password',
      helpText: 'An API key of the workspace, from `leadgen apikey create`. Triggers need an admin key: they subscribe webhooks.',
    },
  ],
  test: async (z, bundle) => {
    const response = await z.request({ url: api(bundle, '/me') });
    return response.data;
  },
  connectionLabel: '{{bundle.inputData.workspace_id}} ({{bundle.inputData.role}})',
};
