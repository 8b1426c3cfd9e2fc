'use strict';

const { api } = require('../http');

module.exports = {
  key: 'enroll_in_sequence',
  noun: 'Enrolment',
  display: {
    label: 'Enrol Lead in Sequence',
    description: "Starts a sequence for a lead, in the lead's time zone. A lead already in it, suppressed or without an address is skipped, with the reason.",
  },
  operation: {
    inputFields: [
      { key: 'sequence_id', label: 'Sequence', required: true, dynamic: 'sequence_list.id.name' },
      { key: 'lead_id', label: 'Lead', required: true, dynamic: 'new_lead.id.email', search: 'find_lead.id' },
    ],
    perform: async (z, bundle) => {
      const id = encodeURIComponent(bundle.inputData.sequence_id);
      const response = await z.request({
        url: api(bundle, `/sequences/${id}/enroll`), method: 'POST', body: { lead_ids: [bundle.inputData.lead_id] },
      });
      // Zapier wants an object with an id: the enrolment is the sequence and the lead.
      return { id: `${bundle.inputData.sequence_id}:${bundle.inputData.lead_id}`, ...response.data };
    },
    sample: { id: 'seq-0193f1:0193f2a4-5b6c-7d8e-9f01-23456789abcd', enrolled: 1, skipped: [] },
  },
};
