/// What a merge changed in one field, for the lead's event log.
public struct FieldChange: Sendable, Equatable, Codable {
    public var field: String
    public var oldValue: String?
    public var newValue: String?

    public init(field: String, oldValue: String?, newValue: String?) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// What happens when the stored and incoming records both have a value for a field and they differ.
public enum ConflictPolicy: String, Sendable, Codable, CaseIterable {
    /// The incoming (newer) source wins; the old value stays in the event log.
    case newerWins = "newer_wins"
    /// The stored value stays; the incoming value only fills empty fields.
    case keepExisting = "keep_existing"
}

/// Merges one record into another field by field, recording every change.
struct FieldMerge<Root, Field: RawRepresentable> where Field.RawValue == String {
    var result: Root
    private let incoming: Root
    private let policy: ConflictPolicy
    private(set) var changes: [FieldChange] = []

    init(existing: Root, incoming: Root, policy: ConflictPolicy) {
        result = existing
        self.incoming = incoming
        self.policy = policy
    }

    /// Fills an empty field; replaces a different value only under `newerWins`.
    /// Returns the value that was replaced, if any.
    @discardableResult
    mutating func scalar<T: Equatable>(
        _ path: WritableKeyPath<Root, T?>, _ field: Field, show: (T) -> String = { "\($0)" }
    ) -> T? {
        guard let new = incoming[keyPath: path] else { return nil }
        let old = result[keyPath: path]
        guard old != new, old == nil || policy == .newerWins else { return nil }
        result[keyPath: path] = new
        changes.append(FieldChange(field: field.rawValue, oldValue: old.map(show), newValue: show(new)))
        return old
    }

    /// Adds the incoming items not yet present (by `key`), keeping the stored order.
    mutating func union<T, K: Hashable>(
        _ path: WritableKeyPath<Root, [T]>, _ field: Field, key: (T) -> K, show: (T) -> String
    ) {
        let old = result[keyPath: path]
        var seen = Set(old.map(key))
        let added = incoming[keyPath: path].filter { seen.insert(key($0)).inserted }
        guard !added.isEmpty else { return }
        let new = old + added
        result[keyPath: path] = new
        changes.append(
            FieldChange(
                field: field.rawValue, oldValue: old.isEmpty ? nil : old.map(show).joined(separator: ", "),
                newValue: new.map(show).joined(separator: ", ")))
    }

    /// Applies a change made outside the helpers above.
    mutating func record(_ change: FieldChange, _ update: (inout Root) -> Void) {
        update(&result)
        changes.append(change)
    }
}
