import Foundation
import LeadgenCore
import Testing

@testable import Automation

/// IML against Make's documented examples (docs/reference/make.md §3) and its mapping rules.
@Suite struct IMLTests {
    static let outputs: [String: JSON] = [
        "1": .object([
            "name": .string("Ada"), "First Name": .string("Grace"), "score": .int(72), "status": .string("Active"),
            "items": .array([
                .object(["id": .int(7), "title": .string("first")]),
                .object(["id": .int(9), "title": .string("second")]),
            ]),
            "tags": .array([.string("b"), .string("a"), .string("c")]),
            "Emails": .array([
                .object(["email": .string("w@x.com"), "label": .string("work")]),
                .object(["email": .string("h@x.com"), "label": .string("home")]),
            ]),
            "blank": .string(""),
        ]),
        "6": .object(["Testing": .bool(false), "God Mode In Timer": .bool(true)]),
    ]

    func eval(_ source: String, timeZone: TimeZone = .gmt) throws -> JSON {
        let evaluator = IMLEvaluator(
            context: IMLContext(
                outputs: Self.outputs, variables: ["scenario": .object(["name": .string("Bot")])], timeZone: timeZone,
                now: Date(timeIntervalSince1970: 1_482_940_986)))
        return try evaluator.evaluate(try IMLTemplate(parsing: source))
    }

    @Test(
        arguments: [
            ("{{1.name}}", JSON.string("Ada")),
            ("Hello {{1.name}}!", .string("Hello Ada!")),
            ("{{1.`First Name`}}", .string("Grace")),
            ("{{1.items[2].title}}", .string("second")),
            ("{{1.items[].id}}", .array([.int(7), .int(9)])),
            ("{{1.score}}", .int(72)),
            ("score: {{1.score}}", .string("score: 72")),
            // A doubled quote inside text is one quote: Make's exports build JSON text this way.
            (#"{{"{""name"": """ + 1.name + """}"}}"#, .string(#"{"name": "Ada"}"#)),
            ("{{1.missing}}", .null),
            ("{{1.items[5].title}}", .null),
            ("{{var.scenario.name}}", .string("Bot")),
            ("{{1 + 2 * 3}}", .int(7)),
            ("{{(1 + 2) * 3}}", .int(9)),
            ("{{10 / 4}}", .double(2.5)),
            ("{{7 % 3}}", .int(1)),
            ("{{1.score > 50 & 1.status = \"Active\"}}", .bool(true)),
            ("{{6.Testing | 6.`God Mode In Timer`}}", .bool(true)),
            ("{{if(6.Testing | 6.`God Mode In Timer`; 1; 150)}}", .int(1)),
            ("{{if(1.name = \"a\"; \"b\"; \"c\")}}", .string("c")),
            ("{{ifempty(1.missing; \"B\")}}", .string("B")),
            ("{{ifempty(1.blank; \"B\")}}", .string("B")),
            ("{{ifempty(1.name; \"B\")}}", .string("Ada")),
            ("{{switch(1.status; \"Active\"; 1; \"Paused\"; 2; 3)}}", .int(1)),
            ("{{switch(\"other\"; \"Active\"; 1; 3)}}", .int(3)),
            ("{{get(1.items; 1 + 1)}}", .object(["id": .int(9), "title": .string("second")])),
            ("{{get(1.items; \"2.title\")}}", .string("second")),
            ("{{substring(Hello; 1; 3)}}", .string("el")),
            ("{{indexOf(\"Hello\"; \"l\")}}", .int(2)),
            ("{{indexOf(\"Hello\"; \"z\")}}", .int(-1)),
            ("{{split(\"a,b,c\"; \",\")}}", .array([.string("a"), .string("b"), .string("c")])),
            ("{{length(\"Hello\")}}", .int(5)),
            ("{{length(1.items)}}", .int(2)),
            ("{{upper(1.name)}}", .string("ADA")),
            ("{{capitalize(\"hello world\")}}", .string("Hello world")),
            ("{{startcase(\"hello wORLD\")}}", .string("Hello World")),
            ("{{trim(\"  x  \")}}", .string("x")),
            ("{{replace(\"Hello World\"; \"o\"; \"0\")}}", .string("Hell0 W0rld")),
            ("{{replace(\"John Smith\"; \"/(\\w+) (\\w+)/\"; \"$2, $1\")}}", .string("Smith, John")),
            ("{{replace(\"aaa\"; \"/a/g\"; \"[$&]\")}}", .string("[a][a][a]")),
            ("{{contains(\"Hello\"; \"ell\")}}", .bool(true)),
            ("{{md5(\"hello\")}}", .string("5d41402abc4b2a76b9719d911017c592")),
            ("{{sha1(\"hello\")}}", .string("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")),
            (
                "{{sha256(\"hello\"; \"hex\"; \"key\")}}",
                .string("9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b")
            ),
            ("{{base64(\"hello\")}}", .string("aGVsbG8=")),
            ("{{encodeURL(\"a b&c\")}}", .string("a%20b%26c")),
            ("{{stripHTML(\"<b>bold</b> text\")}}", .string("bold text")),
            ("{{round(1.5)}}", .int(2)),
            ("{{round(1.4)}}", .int(1)),
            ("{{ceil(1.2)}}", .int(2)),
            ("{{floor(1.8)}}", .int(1)),
            ("{{trunc(3.789; 2)}}", .double(3.78)),
            ("{{abs(-4)}}", .int(4)),
            ("{{max(1; 7; 3)}}", .int(7)),
            ("{{sum(1.items[].id)}}", .int(16)),
            ("{{average(2; 4)}}", .int(3)),
            ("{{median(3; 1; 2; 10)}}", .double(2.5)),
            ("{{formatNumber(123456789; 3; ,; .)}}", .string("123.456.789,000")),
            ("{{formatNumber(1234.5; 2; \".\"; \",\")}}", .string("1,234.50")),
            ("{{parseNumber(\"1 234,56\"; \",\")}}", .double(1234.56)),
            ("{{parseDate(1482940986; X)}}", .string("2016-12-28T16:03:06.000Z")),
            ("{{parseDate(\"10/01/2019 13:45\"; \"MM/DD/YYYY HH:mm\")}}", .string("2019-10-01T13:45:00.000Z")),
            ("{{parseDate(\"2019-10-01\"; \"YYYY-MM-DD\"; \"Europe/Prague\")}}", .string("2019-09-30T22:00:00.000Z")),
            (
                "{{formatDate(\"2016-12-28T16:03:06.000Z\"; \"YYYY-MM-DD HH:mm\"; \"Europe/Prague\")}}",
                .string("2016-12-28 17:03")
            ),
            ("{{formatDate(\"2016-12-28T16:03:06.000Z\"; DD.MM.YYYY)}}", .string("28.12.2016")),
            ("{{formatDate(now; YYYY-MM-DD)}}", .string("2016-12-28")),
            (
                "{{formatDate(\"2016-12-28T16:03:06.000Z\"; \"dddd, MMMM Do YYYY, h:mm:ss A\")}}",
                .string("Wednesday, December 28th 2016, 4:03:06 PM")
            ),
            (
                "{{formatDate(\"2016-12-28T16:03:06.000Z\"; \"YYYY-MM-DDTHH:mm:ssZ\"; \"America/New_York\")}}",
                .string("2016-12-28T11:03:06-05:00")
            ),
            ("{{formatDate(\"2016-12-28T16:03:06.000Z\"; \"[Week] W, Q\")}}", .string("Week 52, 4")),
            ("{{addDays(\"2016-12-08T16:00:00.000Z\"; 2)}}", .string("2016-12-10T16:00:00.000Z")),
            ("{{addDays(\"2016-12-08T16:00:00.000Z\"; -2)}}", .string("2016-12-06T16:00:00.000Z")),
            ("{{addMonths(\"2016-01-31T00:00:00.000Z\"; 1)}}", .string("2016-02-29T00:00:00.000Z")),
            ("{{addHours(\"2016-12-08T16:00:00.000Z\"; 10)}}", .string("2016-12-09T02:00:00.000Z")),
            ("{{setDate(\"2015-10-07T11:36:39.138Z\"; 32)}}", .string("2015-11-01T11:36:39.138Z")),
            ("{{setHour(\"2015-10-07T11:36:39.138Z\"; 6)}}", .string("2015-10-07T06:36:39.138Z")),
            ("{{setDay(\"2018-06-27T11:36:39.138Z\"; monday)}}", .string("2018-06-25T11:36:39.138Z")),
            ("{{setDay(\"2018-06-27T11:36:39.138Z\"; 1)}}", .string("2018-06-24T11:36:39.138Z")),
            ("{{dateDifference(\"2016-12-10T16:00:00.000Z\"; \"2016-12-08T16:00:00.000Z\"; days)}}", .int(2)),
            ("{{first(1.tags)}}", .string("b")),
            ("{{last(1.tags)}}", .string("c")),
            ("{{join(1.tags; \"-\")}}", .string("b-a-c")),
            ("{{sort(1.tags)}}", .array([.string("a"), .string("b"), .string("c")])),
            ("{{sort(1.tags; desc)}}", .array([.string("c"), .string("b"), .string("a")])),
            ("{{slice(1.tags; 1; 2)}}", .array([.string("a")])),
            ("{{reverse(1.tags)}}", .array([.string("c"), .string("a"), .string("b")])),
            ("{{merge(1.tags; emptyarray)}}", .array([.string("b"), .string("a"), .string("c")])),
            ("{{add(1.tags; \"d\")}}", .array([.string("b"), .string("a"), .string("c"), .string("d")])),
            ("{{remove(1.tags; \"a\")}}", .array([.string("b"), .string("c")])),
            ("{{contains(1.tags; \"a\")}}", .bool(true)),
            ("{{map(1.Emails; email; label; work)}}", .array([.string("w@x.com")])),
            ("{{map(1.Emails; email)}}", .array([.string("w@x.com"), .string("h@x.com")])),
            ("{{distinct(merge(1.tags; 1.tags))}}", .array([.string("b"), .string("a"), .string("c")])),
            ("{{flatten(merge(emptyarray; 1.tags))}}", .array([.string("b"), .string("a"), .string("c")])),
            ("{{keys(pick(1.items[1]; \"id\"))}}", .array([.string("id")])),
            (
                "{{toCollection(1.Emails; label; email)}}",
                .object(["work": .string("w@x.com"), "home": .string("h@x.com")])
            ),
            ("{{length(toArray(`6`))}}", .int(2)),
            ("{{`6`.Testing}}", .bool(false)),
            ("{{mergeCollections(1.items[1]; 1.items[2])}}", .object(["id": .int(9), "title": .string("second")])),
            ("{{emptystring}}{{space}}x", .string(" x")),
            ("{{-1.score}}", .int(-72)),
        ] as [(String, JSON)])
    func evaluatesLikeMake(_ source: String, _ expected: JSON) throws {
        #expect(try eval(source) == expected)
    }

    @Test(arguments: [
        ("{{1.name", "'{{' is not closed with '}}' at position 1"),
        ("x {{if(1.name = ; 2)}}", "an expression is missing at position 17"),
        ("{{\"open}}", "'{{' is not closed with '}}' at position 1"),
        ("{{1.items[x]}}", "expected an index such as [1] or [] at position 11"),
        ("{{upper(1.name}}", "the call of upper opened here is not closed with ')' at position 8"),
        ("{{1 +}}", "an expression is missing at position 6"),
    ])
    func malformedExpressionsSayWhere(_ source: String, _ message: String) {
        #expect(throws: IMLSyntaxError.self) { try IMLTemplate(parsing: source) }
        do {
            _ = try IMLTemplate(parsing: source)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func unknownFunctionsAndBadArgumentsAreErrors() throws {
        #expect(throws: IMLEvaluationError(message: "unknown function shout")) { try eval("{{shout(1.name)}}") }
        #expect(throws: IMLEvaluationError(message: "formatDate expects a date, got \"Ada\"")) {
            try eval("{{formatDate(1.name; YYYY)}}")
        }
        // Text that is not an ISO 8601 date is not read as one by guesswork.
        #expect(throws: IMLEvaluationError(message: #"formatDate expects a date, got "27-11-2026""#)) {
            try eval(#"{{formatDate("27-11-2026"; x)}}"#)
        }
    }
}
