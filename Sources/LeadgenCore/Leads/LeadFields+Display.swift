extension LeadFields {
    /// Each non-empty field as text, keyed by its snake_case name: what the event log and exports show.
    public var displayValues: [String: String] {
        var values: [String: String] = [:]
        func put(_ name: String, _ value: String?) { if let value, !value.isEmpty { values[name] = value } }
        put("first_name", firstName)
        put("last_name", lastName)
        put("title", title)
        put("seniority", seniority?.rawValue)
        put("departments", departments.joined(separator: ", "))
        put("email", email?.value)
        put("email_status", emailStatus?.rawValue)
        put("other_emails", otherEmails.map(\.value).joined(separator: ", "))
        put("phones", phones.map { $0.e164 ?? $0.raw }.joined(separator: ", "))
        put("linkedin_url", linkedinURL?.value)
        put("city", city)
        put("state", state)
        put("country", country?.code)
        put("time_zone", timeZone)
        put("owner", owner)
        put("tags", tags.joined(separator: ", "))
        put("apollo_person_id", apolloPersonID)
        put("apollo_contact_id", apolloContactID)
        for (key, value) in customFields { put("custom_fields.\(key)", value) }
        return values
    }

    /// The field-by-field differences from `old` to `self`, in name order.
    public func changes(from old: LeadFields) -> [FieldChange] {
        let before = old.displayValues
        let after = displayValues
        return Set(before.keys).union(after.keys).sorted().compactMap { name in
            before[name] == after[name] ? nil : FieldChange(field: name, oldValue: before[name], newValue: after[name])
        }
    }
}
