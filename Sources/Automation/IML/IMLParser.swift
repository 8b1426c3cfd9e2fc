import Foundation
import LeadgenCore

/// Parses IML: a mapper string with `{{…}}` parts (`IMLTemplate`), or one expression.
///
/// Function arguments are separated by `;`. An argument that is not an expression (Make's examples write
/// `formatNumber(123456789; 3; ,; .)` and `substring(Hello; 1; 3)`) is taken as the text it is. Each
/// character is read once (an argument is parsed where it stands, not cut out and parsed again), and
/// parentheses, calls and signs nest at most `maxDepth` deep, so no expression can exhaust the stack.
public struct IMLParser {
    let text: [Character]
    /// Added to positions in errors: where `text` starts in the caller's string.
    let offset: Int
    var index = 0
    /// How many parentheses, calls and signs are open at the cursor.
    var depth = 0
    public static let maxDepth = 256
    /// Set once an expression nested too deep: that error stands, however the text around it reads.
    var nestedTooDeep = false
    /// The names that start a reference (`var.scenario.name`); module outputs start with an id.
    let roots: Set<String>

    /// In a blueprint only `var` is a named root. In a custom app's code the request's contexts are
    /// (`parameters.email`, `body.data`, `connection.apiKey`): `appRoots`.
    public init(_ text: String, offset: Int = 0, roots: Set<String> = blueprintRoots) {
        self.text = Array(text)
        self.offset = offset
        self.roots = roots
    }

    public static let blueprintRoots: Set<String> = ["var"]

    /// The contexts a Make custom app's communication, parameters and interface read.
    public static let appRoots: Set<String> = [
        "var", "parameters", "body", "connection", "webhook", "item", "headers", "query", "statusCode", "temp",
        "data", "common", "environment", "scenario", "oauth", "response", "metadata", "iterate",
    ]

    /// Parses the whole text as one expression.
    public static func expression(_ text: String) throws(IMLSyntaxError) -> IMLExpression {
        var parser = IMLParser(text)
        let expression = try parser.parseExpression(0)
        parser.skipSpaces()
        guard parser.index == parser.text.count else {
            throw parser.error("unexpected '\(parser.text[parser.index])'")
        }
        return expression
    }

    func error(_ message: String, at position: Int? = nil) -> IMLSyntaxError {
        IMLSyntaxError(message: message, position: offset + (position ?? index) + 1)
    }

    mutating func skipSpaces() {
        while index < text.count, text[index].isWhitespace { index += 1 }
    }

    var current: Character? { index < text.count ? text[index] : nil }

    func peek(_ ahead: Int = 1) -> Character? { index + ahead < text.count ? text[index + ahead] : nil }

    mutating func parseExpression(_ minimum: Int) throws(IMLSyntaxError) -> IMLExpression {
        var left = try parseUnary()
        while true {
            skipSpaces()
            guard let op = peekOperator(), op.precedence >= minimum else { return left }
            index += op.rawValue.count
            let right = try parseExpression(op.precedence + 1)
            left = .binary(op, left, right)
        }
    }

    /// The operator at the cursor, without consuming it; `and`/`or` are spelled-out forms of `&`/`|`.
    mutating func peekOperator() -> IMLOperator? {
        guard let c = current else { return nil }
        let two = String([c, peek() ?? " "])
        for candidate in ["!=", "<=", ">=", "<>"] where two == candidate {
            return candidate == "<>" ? .notEqual : IMLOperator(rawValue: candidate)
        }
        if let op = IMLOperator(rawValue: String(c)) { return op }
        for (word, op) in [("and", IMLOperator.and), ("or", .or)] {
            let letters = Array(word)
            if index + letters.count <= text.count, Array(text[index..<index + letters.count]) == letters,
                index + letters.count == text.count || !Self.isWordCharacter(text[index + letters.count]),
                index == 0 || !Self.isWordCharacter(text[index - 1])
            {
                // Consumed as a one-character operator: step over the word, leave one character for the caller.
                index += letters.count - 1
                return op
            }
        }
        return nil
    }

    /// Opens one level of nesting at the cursor; past `maxDepth` the expression is refused where it gets too deep.
    mutating func enter() throws(IMLSyntaxError) {
        guard depth < Self.maxDepth else {
            nestedTooDeep = true
            throw error("the expression nests deeper than \(Self.maxDepth) levels")
        }
        depth += 1
    }

    mutating func parseUnary() throws(IMLSyntaxError) -> IMLExpression {
        skipSpaces()
        if current == "-" {
            try enter()
            defer { depth -= 1 }
            index += 1
            return .negate(try parseUnary())
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(IMLSyntaxError) -> IMLExpression {
        skipSpaces()
        guard let c = current, c != ";", c != ")" else { throw error("an expression is missing") }
        let start = index
        if c == "(" {
            try enter()
            defer { depth -= 1 }
            index += 1
            let inner = try parseExpression(0)
            skipSpaces()
            guard current == ")" else { throw error("expected ')'") }
            index += 1
            return inner
        }
        if c == "\"" || c == "'" { return .literal(.string(try parseString(quote: c))) }
        if c == "`" {
            let key = try parseBacktick()
            return .path(IMLPath(root: key, segments: try parseSegments()))
        }
        if c.isNumber {
            var end = index
            while end < text.count, text[end].isNumber { end += 1 }
            // "1.email" is module 1's output; "1.5" is a number (numeric keys are written 1.`0`).
            if end < text.count, text[end] == ".", end + 1 < text.count, Self.startsKey(text[end + 1]),
                !text[end + 1].isNumber
            {
                let root = String(text[index..<end])
                index = end
                return .path(IMLPath(root: root, segments: try parseSegments()))
            }
            return .literal(try parseNumber())
        }
        if Self.isWordCharacter(c) {
            var end = index
            while end < text.count, Self.isWordCharacter(text[end]) { end += 1 }
            let word = String(text[index..<end])
            index = end
            skipSpaces()
            if current == "(" { return try parseCall(word, at: start) }
            index = end
            // Only a named root starts a reference by name (`var.scenario.name`); module outputs start with an
            // id. In an app's code a root stands alone too (`{{body}}`).
            if roots.contains(word), current == "." || roots != Self.blueprintRoots {
                return .path(IMLPath(root: word, segments: try parseSegments()))
            }
            if let keyword = Self.keywords[word] { return .literal(keyword) }
            if Self.variables.contains(word) { return .variable(word) }
            return .bareText(word)
        }
        throw error("unexpected '\(c)'")
    }

    static let keywords: [String: JSON] = [
        "null": .null, "true": .bool(true), "false": .bool(false), "emptystring": .string(""),
        "emptyarray": .array([]), "space": .string(" "), "tab": .string("\t"), "newline": .string("\n"),
        "nbsp": .string("\u{00A0}"), "carriagereturn": .string("\r"),
    ]
    static let variables: Set<String> = ["now", "timestamp", "uuid", "random", "pi", "executionId", "ignore", "erase"]

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
    static func startsKey(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "$" || c == "`" || c.isNumber }

    mutating func parseSegments() throws(IMLSyntaxError) -> [IMLPath.Segment] {
        var segments: [IMLPath.Segment] = []
        while let c = current {
            if c == "." {
                guard let next = peek(), Self.startsKey(next) else { return segments }
                index += 1
                if current == "`" {
                    segments.append(.key(try parseBacktick()))
                } else {
                    var end = index
                    while end < text.count, Self.isWordCharacter(text[end]) || text[end] == "-" { end += 1 }
                    segments.append(.key(String(text[index..<end])))
                    index = end
                }
            } else if c == "[" {
                index += 1
                skipSpaces()
                if current == "]" {
                    index += 1
                    segments.append(.each)
                    continue
                }
                var end = index
                while end < text.count, text[end].isNumber { end += 1 }
                guard end > index, let number = Int(String(text[index..<end])) else {
                    throw error("expected an index such as [1] or []")
                }
                index = end
                skipSpaces()
                guard current == "]" else { throw error("expected ']'") }
                index += 1
                segments.append(.index(number))
            } else {
                return segments
            }
        }
        return segments
    }

    mutating func parseBacktick() throws(IMLSyntaxError) -> String {
        let start = index
        index += 1
        var value = ""
        while let c = current, c != "`" {
            value.append(c)
            index += 1
        }
        guard current == "`" else { throw error("the name opened here is not closed with `", at: start) }
        index += 1
        return value
    }

    mutating func parseString(quote: Character) throws(IMLSyntaxError) -> String {
        let start = index
        index += 1
        var value = ""
        while let c = current {
            if c == quote {
                // A doubled quote inside text is one quote (Make's exports build JSON this way).
                guard quote == "\"", peek() == quote else { break }
                value.append(quote)
                index += 2
                continue
            }
            if c == "\\", let next = peek(), next == quote || next == "\\" {
                value.append(next)
                index += 2
                continue
            }
            value.append(c)
            index += 1
        }
        guard current == quote else { throw error("the text opened here is not closed with \(quote)", at: start) }
        index += 1
        return value
    }

    mutating func parseNumber() throws(IMLSyntaxError) -> JSON {
        var end = index
        while end < text.count, text[end].isNumber { end += 1 }
        var isDecimal = false
        if end < text.count, text[end] == ".", end + 1 < text.count, text[end + 1].isNumber {
            isDecimal = true
            end += 1
            while end < text.count, text[end].isNumber { end += 1 }
        }
        let literal = String(text[index..<end])
        index = end
        if !isDecimal, let value = Int(literal) { return .int(value) }
        guard let value = Double(literal) else { throw error("'\(literal)' is not a number") }
        return .double(value)
    }

    /// `name(arg; arg; …)`: each argument parsed where it stands; one that is not an expression is its text.
    mutating func parseCall(_ name: String, at start: Int) throws(IMLSyntaxError) -> IMLExpression {
        let open = index
        try enter()
        defer { depth -= 1 }
        index += 1
        var arguments: [IMLExpression] = []
        var raws: [String] = []
        while true {
            let argumentStart = index
            skipSpaces()
            if arguments.isEmpty, current == ")" {
                index += 1
                return .call(name: name, arguments: [], raw: [])
            }
            let argument: IMLExpression
            if current == ";" || current == ")" {
                argument = .literal(.string(""))
            } else {
                do throws(IMLSyntaxError) {
                    let parsed = try parseExpression(0)
                    skipSpaces()
                    guard current == ";" || current == ")" else {
                        throw current.map { error("unexpected '\($0)'") }
                            ?? error("the call of \(name) opened here is not closed with ')'", at: open)
                    }
                    argument = parsed
                } catch {
                    if nestedTooDeep { throw error }
                    argument = try bareArgument(from: argumentStart, failure: error, call: name, open: open)
                }
            }
            arguments.append(argument)
            raws.append(String(text[argumentStart..<index]).trimmingCharacters(in: .whitespaces))
            let separator = current
            index += 1
            if separator == ")" { return .call(name: name, arguments: arguments, raw: raws) }
        }
    }

    /// An argument that did not parse, read as text up to the `;` or `)` that ends it: one chunk with no
    /// spaces, quotes or parentheses (`,`, `.`, `DD.MM.YYYY`) is text; anything else is the parse's `failure`.
    mutating func bareArgument(from start: Int, failure: IMLSyntaxError, call name: String, open: Int)
        throws(IMLSyntaxError) -> IMLExpression
    {
        index = start
        var depth = 0
        var quote: Character?
        while let c = current {
            if let q = quote {
                if c == "\\" {
                    index += 2
                    continue
                }
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" || c == "`" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" && depth > 0 {
                depth -= 1
            } else if (c == ")" || c == ";") && depth == 0 {
                break
            }
            index += 1
        }
        guard current != nil else {
            throw error("the call of \(name) opened here is not closed with ')'", at: open)
        }
        let trimmed = String(text[start..<index]).trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains(where: { $0.isWhitespace || "()\"'`".contains($0) }) else { throw failure }
        return .bareText(trimmed)
    }
}
