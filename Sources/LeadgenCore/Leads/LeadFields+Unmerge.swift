import Foundation

extension LeadFields {
    /// These fields with what one merge did taken back, and whatever happened since kept.
    ///
    /// `before` and `after` are the fields just before and just after the merge. A single value the merge
    /// set goes back to what it was, unless it has been changed since (a later edit or merge wins). Of a list
    /// (e-mails, phones, tags) the entries the merge added are taken out, whatever was added since stays. A
    /// custom field is a single value under its key.
    public func undoingMerge(before: LeadFields, after: LeadFields) throws -> LeadFields {
        func json(_ fields: LeadFields) throws -> JSON { try JSON.parse(try JSONEncoder().encode(fields)) }
        let undone = Self.undo(current: try json(self), before: try json(before), after: try json(after))
        return try JSONDecoder().decode(LeadFields.self, from: try undone.data())
    }

    static func undo(current: JSON, before: JSON, after: JSON) -> JSON {
        switch (current, before, after) {
        case (.object(let now), .object(let then), .object(let merged)):
            var result = now
            for key in Set(now.keys).union(then.keys).union(merged.keys) {
                let value = undo(current: now[key] ?? .null, before: then[key] ?? .null, after: merged[key] ?? .null)
                result[key] = value == .null ? nil : value
            }
            return .object(result)
        case (.array(let now), _, .array(let merged)):
            let then = before.arrayValue ?? []
            let added = merged.filter { !then.contains($0) }
            return .array(now.filter { !added.contains($0) })
        default:
            return current == after ? before : current
        }
    }
}
