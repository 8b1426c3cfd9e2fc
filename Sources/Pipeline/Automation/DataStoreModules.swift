import Automation
import Foundation
import LeadgenCore
import Storage

/// `datastore:*` (docs/reference/make.md §5), on the workspace's data stores in the database. The store is
/// `parameters.datastore`.
enum DataStoreModules {
    static func location(_ input: ModuleInput) throws -> (store: Int, workspace: WorkspaceID) {
        guard let store = input.parameters["datastore"]?.intValue else {
            throw ModuleError("InvalidConfigurationError", "datastore: choose the data store")
        }
        guard let workspace = input.run.workspaceID else {
            throw ModuleError("InvalidConfigurationError", "data stores need a stored scenario (a workspace)")
        }
        return (store, WorkspaceID(rawValue: workspace))
    }

    static func key(_ input: ModuleInput) throws -> String {
        let key = IMLValues.text(input.mapper["key"] ?? .null)
        guard !key.isEmpty else { throw ModuleError("DataError", "key: a record needs a key") }
        return key
    }

    static func record(_ key: String, _ data: String) -> JSON {
        var fields = (try? JSON.parse(Data(data.utf8)))?.objectValue ?? [:]
        fields["key"] = .string(key)
        return .object(fields)
    }

    /// `{key, data: {…}, overwrite}`: a missing key gets a new one; an existing key is an error unless
    /// `overwrite`.
    struct AddRecord: NativeModule {
        let records: DataStoreRecords
        func run(_ input: ModuleInput) async throws -> [JSON] {
            let (store, workspace) = try location(input)
            var key = IMLValues.text(input.mapper["key"] ?? .null)
            if key.isEmpty { key = UUID().uuidString.lowercased() }
            let data = input.mapper["data"] ?? .object([:])
            let text = String(decoding: try data.data(), as: UTF8.self)
            let overwrite = IMLValues.truthy(input.mapper["overwrite"] ?? .bool(false))
            guard try await records.put(key, data: text, store: store, overwrite: overwrite, in: workspace) else {
                throw ModuleError("DataError", "a record with the key '\(key)' already exists")
            }
            return [record(key, text)]
        }
    }

    /// `{key}` → the record's fields and key; no bundle when there is none.
    struct GetRecord: NativeModule {
        let records: DataStoreRecords
        func run(_ input: ModuleInput) async throws -> [JSON] {
            let (store, workspace) = try location(input)
            let key = try DataStoreModules.key(input)
            guard let data = try await records.get(key, store: store, in: workspace) else { return [] }
            return [record(key, data)]
        }
    }

    /// `{key}` → `{exist}`.
    struct ExistRecord: NativeModule {
        let records: DataStoreRecords
        func run(_ input: ModuleInput) async throws -> [JSON] {
            let (store, workspace) = try location(input)
            let key = try DataStoreModules.key(input)
            return [.object(["exist": .bool(try await records.get(key, store: store, in: workspace) != nil)])]
        }
    }

    struct DeleteRecord: NativeModule {
        let records: DataStoreRecords
        func run(_ input: ModuleInput) async throws -> [JSON] {
            let (store, workspace) = try location(input)
            _ = try await records.delete(try DataStoreModules.key(input), store: store, in: workspace)
            return [.object([:])]
        }
    }

    /// `{filter: [[{a: field, o, b}]], sort}` with `parameters.limit` and `continueWhenNoRes`: one bundle
    /// `{key, data}` per matching record (reference: the filter's `a` is a field name, not IML).
    struct SearchRecord: NativeModule {
        let records: DataStoreRecords
        func run(_ input: ModuleInput) async throws -> [JSON] {
            let (store, workspace) = try location(input)
            let limit = input.parameters["limit"]?.intValue ?? 10
            let groups = input.mapper["filter"]?.arrayValue ?? []
            var found: [JSON] = []
            for (key, data) in try await records.all(store: store, in: workspace) {
                let fields = (try? JSON.parse(Data(data.utf8)))?.objectValue ?? [:]
                if try matches(groups, fields.merging(["key": .string(key)]) { $1 }) {
                    found.append(.object(["key": .string(key), "data": .object(fields)]))
                    if found.count >= limit { break }
                }
            }
            if found.isEmpty, input.parameters["continueWhenNoRes"] == .bool(true) { return [.object([:])] }
            return found
        }

        func matches(_ groups: [JSON], _ fields: [String: JSON]) throws -> Bool {
            guard !groups.isEmpty else { return true }
            for group in groups {
                var all = true
                for condition in group.arrayValue ?? [] {
                    let field = IMLValues.text(condition["a"] ?? .null)
                    let op = IMLValues.text(condition["o"] ?? .null)
                    do {
                        if try !IMLFilter.check(fields[field] ?? .null, op, condition["b"] ?? .null) {
                            all = false
                            break
                        }
                    } catch {
                        throw ModuleError("DataError", "filter: \(error)")
                    }
                }
                if all { return true }
            }
            return false
        }
    }
}
