import Foundation

/// A mapper string: literal text and `{{…}}` expressions.
public struct IMLTemplate: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        case expression(IMLExpression)
    }

    public var parts: [Part]

    public init(parsing source: String, roots: Set<String> = IMLParser.blueprintRoots) throws(IMLSyntaxError) {
        let characters = Array(source)
        var parts: [Part] = []
        var literal = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{" {
                let start = index + 2
                guard let end = Self.closing(characters, from: start) else {
                    throw IMLSyntaxError(message: "'{{' is not closed with '}}'", position: index + 1)
                }
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                var parser = IMLParser(String(characters[start..<end]), offset: start, roots: roots)
                let expression = try parser.parseExpression(0)
                parser.skipSpaces()
                guard parser.index == parser.text.count else {
                    throw parser.error("unexpected '\(parser.text[parser.index])'")
                }
                parts.append(.expression(expression))
                index = end + 2
            } else {
                literal.append(characters[index])
                index += 1
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }

    /// Where the `}}` closing an expression starting at `from` is, skipping quoted text.
    static func closing(_ characters: [Character], from: Int) -> Int? {
        var index = from
        var quote: Character?
        while index + 1 < characters.count {
            let c = characters[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "`" {
                quote = c
            } else if c == "}", characters[index + 1] == "}" {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Whether the string is exactly one `{{…}}`: its value keeps its type.
    public var isSingleExpression: Bool {
        if parts.count == 1, case .expression = parts[0] { return true }
        return false
    }
}
