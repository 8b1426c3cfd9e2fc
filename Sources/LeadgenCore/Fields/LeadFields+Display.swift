extension LeadFields {
    /// Each non-empty field as text, keyed by its snake_case name: what the event log and exports show.
    public var displayValues: [String: String] {
        var values: [String: String] = [:]
        for field in LeadField.stored {
            if let text = field.text(in: self) { values[field.key] = text }
        }
        for (key, value) in customFields where !value.isEmpty { values["custom_fields.\(key)"] = value }
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
