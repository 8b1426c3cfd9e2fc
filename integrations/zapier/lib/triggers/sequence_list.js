'use strict';

const { api } = require('../http');

// The sequences of the workspace, for the "Enrol in a Sequence" action's dropdown.
module.exports = {
  key: 'sequence_list',
  noun: 'Sequence',
  display: { label: 'Sequences', description: 'Lists the sequences of the workspace.', hidden: true },
  operation: {
    perform: async (z, bundle) => {
      const response = await z.request({ url: api(bundle, '/sequences') });
      return ((response.data && response.data.data) || []).map((s) => ({ id: s.id, name: s.name, status: s.status }));
    },
    sample: { id: 'seq-0193f1', name: 'Intro', status: 'active' },
  },
};
