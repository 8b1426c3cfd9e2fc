import App
import Automation
import Foundation
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import Pipeline

/// The Make.com custom app in `integrations/make`: every file its manifest names exists and is JSON, every
/// IML expression in it parses with this engine's parser, each module is one this engine runs natively with
/// the same parameter names, and a blueprint built from the app's modules runs here.
@Suite struct MakeAppTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("integrations/make")

    static func json(_ path: String) throws -> JSON {
        try JSON.parse(Data(contentsOf: root.appendingPathComponent(path)))
    }

    static var manifest: JSON { get throws { try json("makecomapp.json") } }

    /// Every code file the manifest names, by component type and name ("module/CreateLead/communication").
    static func codeFiles() throws -> [(name: String, path: String)] {
        let manifest = try manifest
        var files: [(String, String)] = []
        for (code, path) in manifest["generalCodeFiles"]?.objectValue ?? [:] {
            if let path = path.stringValue { files.append(("general/\(code)", path)) }
        }
        for (type, components) in manifest["components"]?.objectValue ?? [:] {
            for (name, component) in components.objectValue ?? [:] {
                for (code, path) in component["codeFiles"]?.objectValue ?? [:] {
                    if let path = path.stringValue { files.append(("\(type)/\(name)/\(code)", path)) }
                }
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// Every string in a JSON value, with its path.
    static func strings(_ value: JSON, at path: String = "") -> [(path: String, text: String)] {
        switch value {
        case .string(let text): [(path, text)]
        case .array(let items): items.enumerated().flatMap { strings($1, at: "\(path)[\($0)]") }
        case .object(let object): object.flatMap { strings($1, at: path.isEmpty ? $0 : "\(path).\($0)") }
        default: []
        }
    }

    @Test func everyFileTheManifestNamesIsThereAndEveryExpressionParses() throws {
        let files = try Self.codeFiles()
        #expect(files.count >= 25, "\(files.count) files")
        var expressions = 0
        for (name, path) in files {
            let url = Self.root.appendingPathComponent(path)
            #expect(FileManager.default.fileExists(atPath: url.path), "\(name): \(path) is missing")
            guard path.hasSuffix(".json") else { continue }
            let value = try Self.json(path)
            for (at, text) in Self.strings(value) where text.contains("{{") {
                expressions += 1
                #expect(throws: Never.self, "\(path) \(at): \(text)") {
                    _ = try IMLTemplate(parsing: text, roots: IMLParser.appRoots)
                }
            }
        }
        #expect(expressions >= 40, "\(expressions) expressions")
    }

    @Test func eachModuleIsANativeModuleReadingTheSameParameters() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            let app = AppRoot.testing(database)
            let native: [String: Set<String>] = [
                "CreateLead": Set(LeadgenModules.CreateLead.columns.keys).union(["tags"]),
                "EnrollInSequence": ["sequence_id", "lead_id"],
                "SearchLeads": ["q", "status", "tag", "limit"],
                "WatchLeads": [],
            ]
            let modules = try Self.manifest["components"]?["module"]?.objectValue ?? [:]
            #expect(Set(modules.keys) == Set(native.keys))
            for (name, module) in modules {
                #expect(app.scenarios.runner.supported.contains("leadgen:\(name)"), "leadgen:\(name) runs here")
                let path = try #require(module["codeFiles"]?["mappableParams"]?.stringValue)
                let names = Set(try Self.json(path).arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(names.isSubset(of: native[name] ?? []), "\(name): \(names.subtracting(native[name] ?? []))")
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aBlueprintMadeOfTheAppsModulesRunsHere(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let app = AppRoot.testing(database)
            let stores = app.stores
            let workspace = try await stores.workspaces.findOrCreate(slug: "default").id
            let sequence = try await stores.sequences.create(
                name: "Welcome",
                definition:
                    #"{"name": "Welcome", "steps": [{"id": "a", "type": "email", "subject": "Hi", "body": "Hi"}]}"#,
                in: workspace)
            // As Make.com exports it: the instant trigger carries only its hook; the events are the webhook's.
            let blueprint = #"""
                {"name": "Welcome new leads", "flow": [
                  {"id": 1, "module": "leadgen:WatchLeads", "version": 1, "parameters": {"__IMTHOOK__": 1234567}},
                  {"id": 2, "module": "leadgen:SearchLeads", "version": 1,
                   "mapper": {"q": "{{1.lead.company.name}}", "limit": "5"}},
                  {"id": 3, "module": "leadgen:EnrollInSequence", "version": 1,
                   "mapper": {"sequence_id": "\#(sequence.id)", "lead_id": "{{1.lead.id}}"}}]}
                """#
            let imported = try await app.scenarios.importBlueprint(
                Data(blueprint.utf8), name: nil, enabled: true, in: workspace)
            #expect(imported.problems.isEmpty, "\(imported.problems)")

            var fields = LeadFields()
            fields.email = try EmailAddress(parsing: "ada@acme.example")
            var company = CompanyFields()
            company.name = "Acme"
            let lead = try #require(
                try await stores.ingestor.ingest(
                    [
                        IngestItem(
                            input: LeadInput(fields: fields, company: company), source: LeadSourceRef(kind: "api"))
                    ],
                    into: workspace
                ).first?.leadID)
            for _ in 0..<5 { _ = try await app.worker.drain() }

            let runs = try await app.scenarios.store.runs(of: imported.scenario.id)
            #expect(runs.map(\.status) == [.success], "\(runs.map(\.error))")
            let enrolled = try await stores.enrollments.list(sequence: sequence.id, in: workspace)
            #expect(enrolled.map(\.leadID) == [lead])
        }
    }
}
