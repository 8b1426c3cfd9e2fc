import Foundation
import LeadgenCore
import Testing

@testable import Automation

/// The executor, construct by construct, on small blueprints in Make's export format.
@Suite struct ScenarioRunnerTests {
    let runner = ScenarioRunner(modules: CoreModules.all(sleep: { _ in }))

    func blueprint(_ flow: String, scenario: String = "{}") throws -> Blueprint {
        try Blueprint(data: Data(#"{"name": "test", "flow": \#(flow), "metadata": {"scenario": \#(scenario)}}"#.utf8))
    }

    func run(_ flow: String, trigger: [JSON] = [.object([:])], scenario: String = "{}") async throws -> RunReport {
        await runner.run(
            try blueprint(flow, scenario: scenario), trigger: trigger,
            state: RunState(executionID: "run-1", now: { Date() }))
    }

    static let hook =
        #"{"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 7}, "mapper": {}}"#

    @Test func webhookSetVariableRespond() async throws {
        let report = try await run(
            #"""
            [\#(Self.hook),
             {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "greeting", "scope": "roundtrip", "value": "Hello {{1.name}}"}},
             {"id": 3, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "201", "body": "{\"message\": \"{{2.greeting}}\"}", "headers": [{"key": "Content-Type", "value": "application/json"}]}}]
            """#, trigger: [.object(["name": .string("Ada")])])
        #expect(report.status == .success)
        #expect(report.operations == 3)
        #expect(
            report.response
                == WebhookResponse(
                    status: 201, headers: ["Content-Type": "application/json"], body: #"{"message": "Hello Ada"}"#))
        #expect(report.modules[2]?.outputs == [.object(["greeting": .string("Hello Ada")])])
        #expect(report.modules[1]?.outputs == [.object(["name": .string("Ada")])])
    }

    @Test func routesRunInOrderSkippingDisabledOnesAndThoseWhoseFilterFails() async throws {
        let report = try await run(
            #"""
            [\#(Self.hook),
             {"id": 2, "module": "builtin:BasicRouter", "version": 1, "mapper": null, "routes": [
               {"flow": [{"id": 3, "module": "util:SetVariable2", "version": 1, "filter": {"name": "hot", "conditions": [[{"a": "{{1.score}}", "o": "number:greater", "b": "50"}]]}, "mapper": {"name": "route", "value": "hot"}}]},
               {"flow": [{"id": 4, "module": "util:SetVariable2", "version": 1, "filter": {"name": "cold", "conditions": [[{"a": "{{1.score}}", "o": "number:lessorequal", "b": "50"}]]}, "mapper": {"name": "route", "value": "cold"}}]},
               {"flow": [{"id": 5, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "all", "value": "{{1.score}}"}}]},
               {"disabled": true, "flow": [{"id": 6, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "never", "value": "x"}}]}
             ]}]
            """#, trigger: [.object(["score": .int(72)]), .object(["score": .int(10)])])
        #expect(report.status == .success)
        #expect(report.modules[3]?.executions == 1)
        #expect(report.modules[4]?.executions == 1)
        #expect(report.modules[5]?.executions == 2)
        #expect(report.modules[6] == nil)
        #expect(report.operations == 1 + 1 + 1 + 2, "the trigger once, routers free, one per module run")
    }

    @Test func anIteratorFeedsTheChainAndItsAggregatorCollects() async throws {
        let report = try await run(
            #"""
            [\#(Self.hook),
             {"id": 2, "module": "builtin:BasicFeeder", "version": 1, "mapper": {"array": "{{1.people}}"}},
             {"id": 3, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "upper", "value": "{{upper(2.name)}}"}},
             {"id": 4, "module": "builtin:BasicAggregator", "version": 1, "parameters": {"feeder": 2}, "mapper": {"name": "{{3.upper}}", "n": "{{2.__IMTINDEX__}}"}},
             {"id": 5, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "count", "value": "{{length(4.array)}}"}}]
            """#,
            trigger: [
                .object([
                    "people": .array([
                        .object(["name": .string("ada")]), .object(["name": .string("grace")]),
                        .object(["name": .string("linus")]),
                    ])
                ])
            ])
        #expect(report.status == .success)
        #expect(report.modules[3]?.executions == 3)
        #expect(report.modules[4]?.outputs.count == 1)
        #expect(
            report.modules[4]?.outputs.first?["array"]
                == .array([
                    .object(["name": .string("ADA"), "n": .int(1)]), .object(["name": .string("GRACE"), "n": .int(2)]),
                    .object(["name": .string("LINUS"), "n": .int(3)]),
                ]))
        #expect(report.modules[5]?.outputs == [.object(["count": .int(3)])])
    }

    @Test func aggregatorsGroupAndTextAggregatorsJoin() async throws {
        let report = try await run(
            #"""
            [\#(Self.hook),
             {"id": 2, "module": "builtin:BasicFeeder", "version": 1, "mapper": {"array": "{{1.rows}}"}},
             {"id": 3, "module": "builtin:BasicAggregator", "version": 1, "parameters": {"feeder": 2}, "flags": {"groupBy": "{{2.team}}"}, "mapper": {"who": "{{2.who}}"}},
             {"id": 4, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "team", "value": "{{3.__IMTKEY__}}: {{length(3.array)}}"}}]
            """#,
            trigger: [
                .object([
                    "rows": .array([
                        .object(["team": .string("a"), "who": .string("x")]),
                        .object(["team": .string("b"), "who": .string("y")]),
                        .object(["team": .string("a"), "who": .string("z")]),
                    ])
                ])
            ])
        #expect(report.modules[4]?.outputs == [.object(["team": .string("a: 2")]), .object(["team": .string("b: 1")])])

        let text = try await run(
            #"""
            [\#(Self.hook),
             {"id": 2, "module": "builtin:BasicFeeder", "version": 1, "mapper": {"array": "{{1.words}}"}},
             {"id": 3, "module": "util:TextAggregator", "version": 1, "parameters": {"feeder": 2, "rowSeparator": "other", "otherRowSeparator": " | "}, "mapper": {"value": "{{2.value}}"}}]
            """#, trigger: [.object(["words": .array([.string("one"), .string("two")])])])
        #expect(text.modules[3]?.outputs == [.object(["text": .string("one | two")])])
    }

    static func failing(_ directive: String, mapper: String = "{}") -> String {
        #"""
        [\#(hook),
         {"id": 2, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "{{1.body}}"},
          "onerror": [{"id": 9, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "why", "value": "{{2.error.message}}"}},
                      {"id": 10, "module": "\#(directive)", "version": 1, "mapper": \#(mapper)}]},
         {"id": 3, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "after", "value": "{{2.ok}}"}}]
        """#
    }

    static let badThenGood: [JSON] = [
        .object(["body": .string("{not json")]), .object(["body": .string(#"{"ok": 1}"#)]),
    ]

    @Test func ignoreDropsTheFailedBundleAndTheOthersGoOn() async throws {
        let report = try await run(Self.failing("builtin:Ignore"), trigger: Self.badThenGood)
        #expect(report.status == .success)
        #expect(report.modules[9]?.outputs == [.object(["why": .string("Source is not valid JSON.")])])
        #expect(report.modules[3]?.outputs == [.object(["after": .int(1)])])
        #expect(report.modules[2]?.errors == ["Source is not valid JSON."])
    }

    @Test func resumeGoesOnWithTheSubstituteOutput() async throws {
        let report = try await run(
            Self.failing("builtin:Resume", mapper: #"{"ok": "substitute"}"#), trigger: Self.badThenGood)
        #expect(report.status == .success)
        #expect(report.modules[3]?.outputs == [.object(["after": .string("substitute")]), .object(["after": .int(1)])])
    }

    @Test func breakParksTheBundleAsAnIncompleteExecution() async throws {
        let report = try await run(
            Self.failing("builtin:Break", mapper: #"{"retry": true, "count": "3", "interval": "15"}"#),
            trigger: Self.badThenGood)
        #expect(report.status == .warning)
        #expect(report.incomplete.count == 1)
        #expect(report.incomplete.first?.moduleID == 2)
        #expect(report.incomplete.first?.retry == true)
        #expect(report.incomplete.first?.attempts == 3)
        #expect(report.incomplete.first?.interval == 15)
        #expect(report.modules[3]?.executions == 1)
    }

    @Test func commitStopsTheRunSuccessfully() async throws {
        let report = try await run(Self.failing("builtin:Commit"), trigger: Self.badThenGood)
        #expect(report.status == .success)
        #expect(report.modules[3] == nil, "the second bundle never runs")
    }

    @Test func rollbackAndAMissingHandlerFailTheRun() async throws {
        let rolledBack = try await run(Self.failing("builtin:Rollback"), trigger: Self.badThenGood)
        #expect(rolledBack.status == .error)
        #expect(rolledBack.error == "module 2 (json:ParseJSON): Source is not valid JSON.")
        let unhandled = try await run(
            #"[\#(Self.hook), {"id": 2, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "nope"}}]"#)
        #expect(unhandled.status == .error)
        #expect(unhandled.error == "module 2 (json:ParseJSON): Source is not valid JSON.")
        let parked = try await run(
            #"[\#(Self.hook), {"id": 2, "module": "json:ParseJSON", "version": 1, "mapper": {"json": "nope"}}]"#,
            scenario: #"{"dlq": true}"#)
        #expect(parked.status == .warning)
        #expect(parked.incomplete.count == 1)
    }

    @Test func aModuleTheEngineCannotRunStopsTheRunNamingIt() async throws {
        let report = try await run(
            #"[\#(Self.hook), {"id": 4, "module": "slack:CreateMessage", "version": 4, "mapper": {"text": "hi"}}]"#)
        #expect(report.status == .error)
        #expect(report.error == "module 4 (slack:CreateMessage): the engine has no native slack:CreateMessage")
    }

    @Test func confidentialScenariosKeepNoBundles() async throws {
        let report = try await run(
            #"[\#(Self.hook), {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "secret", "value": "{{1.token}}"}}]"#,
            trigger: [.object(["token": .string("s3cret")])], scenario: #"{"confidential": true}"#)
        #expect(report.status == .success)
        #expect(report.modules[2]?.executions == 1)
        #expect(report.modules[2]?.outputs == [])
        #expect(!report.json.text.contains("s3cret"))
    }

    @Test func aFilteredModuleStopsOnlyItsPath() async throws {
        let report = try await run(
            #"""
            [\#(Self.hook),
             {"id": 2, "module": "util:SetVariable2", "version": 1, "filter": {"name": "verified", "conditions": [[{"a": "{{1.status}}", "o": "text:equal:ci", "b": "verified"}]]}, "mapper": {"name": "ok", "value": "{{1.email}}"}},
             {"id": 3, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "next", "value": "yes"}}]
            """#,
            trigger: [
                .object(["status": .string("Verified"), "email": .string("a@b.com")]),
                .object(["status": .string("unverified"), "email": .string("c@d.com")]),
            ])
        #expect(report.modules[2]?.outputs == [.object(["ok": .string("a@b.com")])])
        #expect(report.modules[3]?.executions == 1)
    }
}
