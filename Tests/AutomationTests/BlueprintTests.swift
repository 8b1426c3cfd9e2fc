import Foundation
import LeadgenCore
import Testing

@testable import Automation

/// Every real blueprint in the fixtures decodes and encodes back without losing anything.
@Suite struct BlueprintTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/make-blueprints")

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }
            .sorted()
    }

    @Test func thereAreFixtures() {
        #expect(Self.fixtures.count == 4)
    }

    @Test(arguments: fixtures)
    func decodesAndRoundTrips(_ file: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(file))
        let blueprint = try Blueprint(data: data)
        #expect(!blueprint.flow.isEmpty)
        #expect(try JSON.parse(data) == blueprint.json, "encoding back loses nothing")
        let again = try Blueprint(data: try blueprint.json.data())
        #expect(again == blueprint)
    }

    @Test func readsTheStructureOfTheWebhookBot() throws {
        let blueprint = try Blueprint(
            data: Data(
                contentsOf: Self.folder.appendingPathComponent(
                    "amrit-dash__Make-Automation-Projects__Webhook-based-DSM-Reply-Bot.json")))
        #expect(blueprint.flow.first?.module == "gateway:CustomWebHook")
        let modules = blueprint.allModules
        #expect(modules.count == 34)
        #expect(Set(modules.map(\.id)).count == modules.count)
        #expect(modules.contains { $0.routes?.contains(where: \.isDisabled) == true })
        #expect(modules.contains { $0.onerror?.last?.module == "builtin:Rollback" })
        #expect(blueprint.metadata?["instant"] == .bool(true))
    }

    @Test func readsThePublicTemplateForm() throws {
        let data = try Data(
            contentsOf: Self.folder.appendingPathComponent(
                "integromat__make-skills__05-facebook-leads-to-google-sheets.json"))
        let blueprint = try Blueprint(data: data)
        #expect(blueprint.wrapper?["controller"] != nil)
        #expect(blueprint.flow.map(\.module) == ["facebook-lead-ads:NewLeadMultiple", "google-sheets:addRow"])
        #expect(!blueprint.name.isEmpty)
    }

    @Test func validationNamesWhatCannotRunWithoutRefusingTheImport() throws {
        let blueprint = try Blueprint(
            data: Data(
                contentsOf: Self.folder.appendingPathComponent("manasoid__make__blueprint-buy-me-a-coffee-slack.json")))
        let problems = BlueprintValidator.problems(blueprint, supported: ["builtin:BasicRouter"])
        #expect(problems.contains { $0.module == "slack:NewEvent" && $0.moduleID == blueprint.flow[0].id })
        #expect(!problems.contains { $0.module == "builtin:BasicRouter" })
        #expect(!problems.contains { $0.message.contains("operator") }, "every operator in a real export is known")
    }

    @Test func filtersAreReadByPathAndEveryRealExportsFiltersAreWellFormed() throws {
        let filter = JSON.object([
            "name": .string("only new"),
            "conditions": .array([
                .array([.object(["a": .string("{{1.x}}"), "o": .string("text:equal")]), .string("x")]),
                .array([.object(["a": .string("{{1.y}}"), "o": .string("text:sounds_like")])]),
            ]),
        ])
        #expect(
            BlueprintValidator.filterProblems(filter).map(\.description) == [
                "filter.conditions[0][1]: expected an object, got a string",
                "filter.conditions[1][0].o: unknown filter operator text:sounds_like",
            ])
        let files = try FileManager.default.contentsOfDirectory(at: Self.folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        #expect(!files.isEmpty)
        for file in files {
            guard let blueprint = try? Blueprint(data: Data(contentsOf: file)) else { continue }
            for module in blueprint.allModules {
                let problems = BlueprintValidator.filterProblems(module.filter)
                #expect(problems.isEmpty, "\(file.lastPathComponent) module \(module.id): \(problems)")
            }
        }
    }

    @Test func malformedBlueprintsSayWhere() {
        #expect(throws: BlueprintError(path: "flow[0].id", message: "a module needs a positive integer id")) {
            try Blueprint(json: .object(["name": .string("x"), "flow": .array([.object(["module": .string("a:b")])])]))
        }
        #expect(throws: BlueprintError(path: "flow", message: "a blueprint needs a flow array")) {
            try Blueprint(json: .object(["name": .string("x")]))
        }
    }
}
