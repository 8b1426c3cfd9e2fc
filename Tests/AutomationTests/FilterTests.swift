import Foundation
import LeadgenCore
import Testing

@testable import Automation

/// Every filter operator of docs/reference/make.md §2, and the OR-of-AND grouping.
@Suite struct FilterTests {
    @Test(
        arguments: [
            (JSON.string("Active"), "text:equal", JSON.string("Active"), true),
            (.string("Active"), "text:equal", .string("active"), false),
            (.string("Active"), "text:equal:ci", .string("active"), true),
            (.string("Active"), "text:notequal", .string("x"), true),
            (.string("Hello world"), "text:contain", .string("lo w"), true),
            (.string("Hello world"), "text:notcontain:ci", .string("WORLD"), false),
            (.string("!buy coffee"), "text:startwith", .string("!buy"), true),
            (.string("!buy coffee"), "text:notstartwith", .string("!buy"), false),
            (.string("report.pdf"), "text:endwith:ci", .string(".PDF"), true),
            (.string("report.pdf"), "text:notendwith", .string(".doc"), true),
            (.string("ada@acme.com"), "text:pattern", .string("^[^@]+@acme\\.com$"), true),
            (.string("ADA@ACME.COM"), "text:pattern:ci", .string("^[^@]+@acme\\.com$"), true),
            (.string("ada@other.com"), "text:notpattern", .string("@acme\\.com$"), true),
            (.int(72), "number:greater", .string("50"), true),
            (.string("72"), "number:less", .int(50), false),
            (.int(50), "number:greaterorequal", .int(50), true),
            (.int(50), "number:lessorequal", .double(49.5), false),
            (.int(50), "number:equal", .string("50"), true),
            (.string("abc"), "number:notequal", .int(1), true),
            (.string("2024-01-02T00:00:00.000Z"), "date:greater", .string("2024-01-01T00:00:00Z"), true),
            (.string("2024-01-02"), "date:less", .string("2024-01-01T00:00:00Z"), false),
            (.string("09:30"), "time:less", .string("10:00"), true),
            (.string("18:00:01"), "time:greater", .string("18:00"), true),
            (.string("1.10.0"), "semver:greater", .string("1.9.3"), true),
            (.string("2.0.0"), "semver:equal", .string("v2.0"), true),
            (.array([.string("a"), .string("B")]), "array:contain", .string("B"), true),
            (.array([.string("a"), .string("B")]), "array:contain:ci", .string("b"), true),
            (.array([.string("a")]), "array:notcontain", .string("z"), true),
            (.array([.string("a"), .string("b")]), "array:equal", .int(2), true),
            (.array([.string("a")]), "array:greater", .int(2), false),
            (.array([]), "array:lessorequal", .int(0), true),
            (.bool(true), "boolean:equal", .string("true"), true),
            (.string("false"), "boolean:notequal", .bool(true), true),
            (.string("x"), "exist", .null, true),
            (.string(""), "exist", .null, false),
            (.null, "notexist", .null, true),
        ] as [(JSON, String, JSON, Bool)])
    func operatorsBehaveAsMakesDo(_ a: JSON, _ op: String, _ b: JSON, _ expected: Bool) throws {
        #expect(try IMLFilter.check(a, op, b) == expected)
    }

    @Test func groupsAreAnOrOfAnds() throws {
        let evaluator = IMLEvaluator(
            context: IMLContext(
                outputs: [
                    "1": .object(["status": .string("active"), "score": .int(40), "role": .string("admin")])
                ], now: Date(timeIntervalSince1970: 1_482_940_986)))
        let conditions = JSON.array([
            .array([
                .object(["a": .string("{{1.status}}"), "o": .string("text:equal:ci"), "b": .string("ACTIVE")]),
                .object(["a": .string("{{1.score}}"), "o": .string("number:greater"), "b": .string("50")]),
            ]),
            .array([.object(["a": .string("{{1.role}}"), "o": .string("text:equal"), "b": .string("admin")])]),
        ])
        #expect(try IMLFilter.passes(conditions, evaluator: evaluator))
        let onlyFirst = JSON.array([conditions.arrayValue![0]])
        #expect(try !IMLFilter.passes(onlyFirst, evaluator: evaluator))
        #expect(try IMLFilter.passes(nil, evaluator: evaluator))
        #expect(throws: IMLFilter.Failure.self) { try IMLFilter.check(.null, "text:startswith", .null) }
    }
}
