import Foundation
import LeadgenCore
import Testing

@testable import Automation

/// Expressions and modules that once trapped on out-of-range numbers (`Int(1e300)`, `Int(.nan)`, an
/// overflowing product): each is now an evaluation error that names the function, or a clamped result.
@Suite struct HostileExpressionTests {
    func eval(_ source: String) throws -> JSON {
        let evaluator = IMLEvaluator(
            context: IMLContext(
                outputs: ["1": .object(["empty": .array([])])], now: Date(timeIntervalSince1970: 1_800_000_000)))
        return try evaluator.evaluate(try IMLTemplate(parsing: source))
    }

    @Test(arguments: [
        ("{{formatNumber(1; 400)}}", "formatNumber expects decimal places from 0 to 20"),
        ("{{addDays(now; 1e300)}}", "addDays expects an amount"),
        ("{{addSeconds(now; -1e300)}}", "addSeconds expects an amount"),
        ("{{slice(1.empty; \"nan\")}}", "slice expects a finite number"),
        ("{{substring(\"abc\"; \"inf\")}}", "substring expects a finite number"),
        ("{{setYear(now; 1e300)}}", "setYear expects a value"),
        ("{{setDay(now; 1e300)}}", "setDay expects a day"),
    ])
    func outOfRangeNumbersAreErrors(_ source: String, _ message: String) {
        #expect {
            _ = try eval(source)
        } throws: { error in
            (error as? IMLEvaluationError)?.message.hasPrefix(message) == true
        }
    }

    @Test(arguments: [
        ("{{substring(\"abc\"; 1e300)}}", JSON.string("")),
        ("{{substring(\"abc\"; -1e300; 2)}}", .string("ab")),
        ("{{trunc(1; 1e300)}}", .int(1)),
        ("{{trunc(1234.5; -1e300)}}", .int(0)),
        ("{{slice(1.empty; 1e300)}}", .array([])),
        ("{{indexOf(\"abc\"; \"c\"; -1e300)}}", .int(2)),
    ])
    func hugeButFiniteNumbersAreClamped(_ source: String, _ expected: JSON) throws {
        #expect(try eval(source) == expected)
    }

    @Test func formatNumberPrintsAnyFiniteNumber() throws {
        // 1e300 has 301 digits in its whole part: "1" and a hundred groups of three.
        let text = try #require(try eval("{{formatNumber(1e300; 2)}}").stringValue)
        #expect(text.hasPrefix("1.000"), "\(text.prefix(20))")
        #expect(text.hasSuffix(",00"))
        #expect(text.split(separator: ".").count == 101)
    }

    @Test func formatNumberKeepsItsRounding() throws {
        #expect(try eval("{{formatNumber(2.5; 0)}}") == .string("3"))
        #expect(try eval("{{formatNumber(-1234567.891; 2)}}") == .string("-1.234.567,89"))
        #expect(try eval("{{formatNumber(-0.001; 2)}}") == .string("0,00"))
        #expect(try eval("{{formatNumber(999.999; 2; \".\"; \",\")}}") == .string("1,000.00"))
    }

    func run(_ mapper: String) async throws -> RunReport {
        let blueprint = try Blueprint(
            data: Data(
                #"""
                {"name": "r", "flow": [
                  {"id": 1, "module": "builtin:BasicRepeater", "version": 1, "mapper": \#(mapper)}]}
                """#.utf8))
        return await ScenarioRunner(modules: CoreModules.all(sleep: { _ in })).run(
            blueprint, trigger: [], state: RunState(executionID: "run-1", now: { Date(timeIntervalSince1970: 0) }))
    }

    @Test(arguments: [
        (#"{"repeats": "1e300"}"#, "repeats:"), (#"{"repeats": "nan"}"#, "repeats:"), (#"{"repeats": -1}"#, "repeats:"),
        (#"{"repeats": 3, "step": 1e300}"#, "step:"), (#"{"repeats": 3, "start": "-inf"}"#, "start:"),
    ])
    func repeatersWithHugeNumbersFailNamingTheField(_ mapper: String, _ field: String) async throws {
        let report = try await run(mapper)
        #expect(report.status == .error)
        #expect(report.error?.contains("(builtin:BasicRepeater): \(field)") == true, "\(report.error ?? "")")
    }

    @Test func aRepeaterStillRepeats() async throws {
        let report = try await run(#"{"repeats": 3, "start": 10, "step": 5}"#)
        #expect(report.status == .success)
        #expect(report.modules[1]?.outputs.map { $0["i"] } == [.int(10), .int(15), .int(20)])
    }

    @Test(arguments: [
        String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300),
        String(repeating: "upper(", count: 300) + "x" + String(repeating: ")", count: 300),
        String(repeating: "-", count: 300) + "1",
        "if(1; " + String(repeating: "(", count: 3000),
    ])
    func nestingPast256LevelsIsAPositionedSyntaxError(_ expression: String) throws {
        #expect {
            _ = try IMLTemplate(parsing: "{{" + expression + "}}")
        } throws: { error in
            let message = (error as? IMLSyntaxError)?.description ?? ""
            return message.contains("nests deeper than 256 levels") && message.contains("position")
        }
    }

    @Test func nestingWithinTheLimitStillWorks() throws {
        let nested = String(repeating: "(", count: 200) + "1 + 1" + String(repeating: ")", count: 200)
        #expect(try eval("{{\(nested)}}") == .int(2))
        let calls = String(repeating: "lower(", count: 200) + "\"ADA\"" + String(repeating: ")", count: 200)
        #expect(try eval("{{\(calls)}}") == .string("ada"))
        #expect(try eval("{{formatNumber(1234.5; 1; ,; .)}}") == .string("1.234,5"), "bare text arguments")
    }

    static let catastrophic = String(repeating: "a", count: 60) + "!"

    @Test func aBacktrackingPatternFailsFastInFiltersReplaceAndSwitchers() async throws {
        #expect {
            _ = try IMLFilter.check(.string(Self.catastrophic), "text:pattern", .string("(a+)+$"))
        } throws: { error in
            "\(error)".contains("takes too long")
        }
        #expect {
            _ = try eval("{{replace(\"\(Self.catastrophic)\"; \"/(a+)+$/g\"; \"x\")}}")
        } throws: { error in
            (error as? IMLEvaluationError)?.message.contains("takes too long") == true
        }
        let switcher = try Blueprint(
            data: Data(
                #"""
                {"name": "s", "flow": [{"id": 1, "module": "util:Switcher", "version": 1, "mapper": {
                  "input": "\#(Self.catastrophic)", "useRegExpMatch": true,
                  "casesTable": [{"pattern": "(a+)+$", "output": "x"}]}}]}
                """#.utf8))
        let report = await ScenarioRunner(modules: CoreModules.all(sleep: { _ in })).run(
            switcher, trigger: [], state: RunState(executionID: "run-1", now: { Date(timeIntervalSince1970: 0) }))
        #expect(report.status == .error)
        #expect(report.error?.contains("takes too long") == true, "\(report.error ?? "")")
        // Patterns that do not backtrack run as before.
        #expect(try IMLFilter.check(.string(String(repeating: "a", count: 60)), "text:pattern", .string("(a+)+$")))
        #expect(try eval("{{replace(\"a-b-c\"; \"/-(\\w)/g\"; \"+$1\")}}") == .string("a+b+c"))
    }
}
