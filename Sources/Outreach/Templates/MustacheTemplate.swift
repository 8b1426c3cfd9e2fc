import Foundation

/// A Mustache template (the subset outreach needs, per the Mustache spec's core): `{{name}}` (HTML-escaped
/// in HTML bodies), `{{{name}}}` and `{{& name}}` (never escaped), dotted names (`company.name`), sections
/// `{{#name}}…{{/name}}` (shown when the value is present and not empty or false; a list repeats it),
/// inverted sections `{{^name}}…{{/name}}`, and comments `{{! … }}`. A name with no value renders its fallback
/// (`first_name` → "there"), else nothing. Malformed templates are errors with their position.
public struct MustacheTemplate: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        case text(String)
        case variable(name: String, escaped: Bool)
        case section(name: String, inverted: Bool, children: [Node])
    }

    let nodes: [Node]
    /// The names the template refers to, in order of first use.
    public let names: [String]

    public init(parsing source: String) throws(MustacheError) {
        var parser = MustacheParser(Array(source))
        nodes = try parser.parse()
        var seen: [String] = []
        func collect(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text: break
                case .variable(let name, _): if !seen.contains(name) { seen.append(name) }
                case .section(let name, _, let children):
                    if !seen.contains(name) { seen.append(name) }
                    collect(children)
                }
            }
        }
        collect(nodes)
        names = seen
    }

    /// Renders with `values`; `html` escapes `{{name}}` for an HTML body. `fallbacks` stand in for names with
    /// no value (or an empty one).
    public func render(_ values: TemplateValues, fallbacks: [String: String] = [:], html: Bool = false) -> String {
        var output = ""
        render(nodes, [values], fallbacks, html, &output)
        return output
    }

    private func render(
        _ nodes: [Node], _ stack: [TemplateValues], _ fallbacks: [String: String], _ html: Bool, _ output: inout String
    ) {
        for node in nodes {
            switch node {
            case .text(let text): output += text
            case .variable(let name, let escaped):
                var text = Self.lookup(name, stack)?.text ?? ""
                if text.trimmingCharacters(in: .whitespaces).isEmpty { text = fallbacks[name] ?? "" }
                output += escaped && html ? Self.escapeHTML(text) : text
            case .section(let name, let inverted, let children):
                let value = Self.lookup(name, stack)
                if inverted {
                    if value?.isTruthy != true { render(children, stack, fallbacks, html, &output) }
                    continue
                }
                switch value {
                case .list(let items)?:
                    for item in items { render(children, stack + [item.scope], fallbacks, html, &output) }
                case let value? where value.isTruthy:
                    render(children, stack + [value.scope], fallbacks, html, &output)
                default: break
                }
            }
        }
    }

    /// A dotted name, looked up from the innermost context outwards (the spec's rule); `.` is the current item.
    static func lookup(_ name: String, _ stack: [TemplateValues]) -> TemplateValue? {
        if name == "." { return stack.last?.current }
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first else { return nil }
        for context in stack.reversed() {
            guard var value = context.fields[first] else { continue }
            for part in parts.dropFirst() {
                guard case .object(let fields) = value, let next = fields[part] else { return nil }
                value = next
            }
            return value
        }
        return nil
    }

    static func escapeHTML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

/// A malformed template, with where (0-based character offset).
public struct MustacheError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: Int
    public var description: String { "\(message) at position \(position)" }
}

/// A value a template shows.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case bool(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    var text: String {
        switch self {
        case .text(let text): text
        case .bool(let value): value ? "true" : "false"
        case .list(let items): items.map(\.text).joined(separator: ", ")
        case .object: ""
        }
    }

    var isTruthy: Bool {
        switch self {
        case .text(let text): !text.isEmpty
        case .bool(let value): value
        case .list(let items): !items.isEmpty
        case .object: true
        }
    }

    /// The context a section opens on this value.
    var scope: TemplateValues {
        if case .object(let fields) = self { return TemplateValues(fields, current: self) }
        return TemplateValues([:], current: self)
    }
}

/// The names a template can use, and the item a section is on.
public struct TemplateValues: Sendable, Equatable {
    public var fields: [String: TemplateValue]
    var current: TemplateValue?

    public init(_ fields: [String: TemplateValue], current: TemplateValue? = nil) {
        self.fields = fields
        self.current = current
    }
}

/// Reads a template into nodes.
struct MustacheParser {
    let characters: [Character]
    var index = 0
    /// How many sections are open where the parser is; bounded so no template can exhaust the stack.
    var depth = 0
    static let maxDepth = 32

    init(_ characters: [Character]) {
        self.characters = characters
    }

    mutating func parse() throws(MustacheError) -> [MustacheTemplate.Node] {
        let (nodes, closing) = try parseNodes(until: nil)
        if let closing { throw MustacheError(message: "{{/\(closing.name)}} closes no section", position: closing.at) }
        return nodes
    }

    /// Nodes up to the `{{/name}}` closing `section` (nil at the top level: up to the end).
    mutating func parseNodes(until section: (name: String, at: Int)?) throws(MustacheError) -> (
        [MustacheTemplate.Node], (name: String, at: Int)?
    ) {
        var nodes: [MustacheTemplate.Node] = []
        var text = ""
        while index < characters.count {
            guard characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{" else {
                text.append(characters[index])
                index += 1
                continue
            }
            let start = index
            let triple = index + 2 < characters.count && characters[index + 2] == "{"
            let close: [Character] = triple ? ["}", "}", "}"] : ["}", "}"]
            index += triple ? 3 : 2
            guard let end = find(close) else {
                throw MustacheError(message: "the tag opened here is not closed with \(String(close))", position: start)
            }
            let content = String(characters[index..<end]).trimmingCharacters(in: .whitespaces)
            index = end + close.count
            if !text.isEmpty {
                nodes.append(.text(text))
                text = ""
            }
            if triple {
                try nodes.append(.variable(name: name(content, at: start), escaped: false))
                continue
            }
            switch content.first {
            case "!": continue
            case "&": try nodes.append(.variable(name: name(String(content.dropFirst()), at: start), escaped: false))
            case "#", "^":
                let sectionName = try name(String(content.dropFirst()), at: start)
                guard depth < Self.maxDepth else {
                    throw MustacheError(
                        message: "sections nest deeper than \(Self.maxDepth) levels here", position: start)
                }
                depth += 1
                defer { depth -= 1 }
                let (children, closed) = try parseNodes(until: (sectionName, start))
                guard closed?.name == sectionName else {
                    throw MustacheError(message: "the section {{\(content)}} is not closed", position: start)
                }
                nodes.append(.section(name: sectionName, inverted: content.first == "^", children: children))
            case "/":
                let closing = try name(String(content.dropFirst()), at: start)
                guard let section else {
                    throw MustacheError(message: "{{/\(closing)}} closes no section", position: start)
                }
                guard closing == section.name else {
                    throw MustacheError(
                        message:
                            "{{/\(closing)}} does not close the section {{#\(section.name)}} opened at position \(section.at)",
                        position: start)
                }
                if !text.isEmpty { nodes.append(.text(text)) }
                return (nodes, (closing, start))
            default:
                try nodes.append(.variable(name: name(content, at: start), escaped: true))
            }
        }
        if !text.isEmpty { nodes.append(.text(text)) }
        return (nodes, nil)
    }

    func find(_ close: [Character]) -> Int? {
        var position = index
        while position + close.count <= characters.count {
            if Array(characters[position..<position + close.count]) == close { return position }
            position += 1
        }
        return nil
    }

    func name(_ text: String, at position: Int) throws(MustacheError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" })
        else { throw MustacheError(message: "'\(text)' is not a name", position: position) }
        // "." is the current item; otherwise every part of a dotted name is a name ("a..b", ".a", "a." are not).
        guard name == "." || !name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
        else { throw MustacheError(message: "'\(name)' has an empty part between its dots", position: position) }
        return name
    }
}
