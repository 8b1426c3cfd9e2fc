/// A cheap way to find candidate pairs: records whose keys are equal are compared, everything else is not.
/// A key joins one or more parts, each a field's normalized value or a transform of it, written as
/// `surname`, `soundex(surname)`, `first(given_name, 1)`, `last(phone, 7)` or
/// `soundex_any(given_name, surname)` (one part of a rule at most: it gives a record two keys).
public struct BlockingRule: Sendable, Equatable {
    public enum Transform: Sendable, Equatable {
        case value
        case soundex
        /// The first n characters; a value shorter than n gives no key.
        case first(Int)
        /// The last n characters; a value shorter than n gives no key.
        case last(Int)
        /// The soundex code of this field, or of another: a record has a key for each, so records meet when
        /// either name of one sounds like either name of the other (given name and surname swapped, and one
        /// of them misspelt or shortened).
        case soundexAny(Int)
    }

    public struct Part: Sendable, Equatable {
        public var field: Int
        public var transform: Transform

        public init(field: Int, transform: Transform) {
            self.field = field
            self.transform = transform
        }
    }

    public var parts: [Part]
    /// The rule as written in the settings.
    public var text: String

    /// The fields a rule makes (more or less) agree: their m cannot be learnt from the pairs it proposes.
    public var fields: Set<Int> {
        Set(
            parts.flatMap { part -> [Int] in
                if case .soundexAny(let other) = part.transform { return [part.field, other] }
                return [part.field]
            })
    }

    /// Reads a rule's parts against the settings' field names; throws a message naming what is wrong.
    public init(parts texts: [String], fields: [String]) throws {
        guard (1...4).contains(texts.count) else {
            throw LinkageSettingsError("a blocking rule has one to four parts, not \(texts.count)")
        }
        parts = try texts.map { try Self.part($0, fields: fields) }
        text = texts.joined(separator: " & ")
        guard parts.filter(\.givesTwoKeys).count <= 1 else {
            throw LinkageSettingsError("a blocking rule has at most one soundex_any part")
        }
    }

    static func part(_ text: String, fields: [String]) throws -> Part {
        let written = text.trimmingWhitespace()
        func field(_ name: String) throws -> Int {
            let name = name.trimmingWhitespace()
            guard let index = fields.firstIndex(of: name) else {
                throw LinkageSettingsError(
                    "blocking rule part '\(written.prefix(100))' names no field '\(name.prefix(100))'")
            }
            return index
        }
        guard let open = written.firstIndex(of: "("), written.hasSuffix(")") else {
            return Part(field: try field(written), transform: .value)
        }
        let function = String(written[..<open])
        let arguments = written[written.index(after: open)..<written.index(before: written.endIndex)]
            .split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        switch (function, arguments.count) {
        case ("soundex", 1): return Part(field: try field(arguments[0]), transform: .soundex)
        case ("soundex_any", 2):
            return Part(field: try field(arguments[0]), transform: .soundexAny(try field(arguments[1])))
        case ("first", 2), ("last", 2):
            guard let n = Int(arguments[1].trimmingWhitespace()), (1...64).contains(n) else {
                throw LinkageSettingsError("blocking rule part '\(written.prefix(100))' needs a length from 1 to 64")
            }
            return Part(field: try field(arguments[0]), transform: function == "first" ? .first(n) : .last(n))
        default:
            throw LinkageSettingsError(
                "blocking rule part '\(written.prefix(100))' is not a field, soundex(field), first(field, n), last(field, n) "
                    + "or soundex_any(field, field)"
            )
        }
    }

    /// The record's keys under this rule: one, two with a `soundex_any` part (one when both sound alike),
    /// none when a part is missing (such a record is in no block).
    func keys(_ table: LinkageTable, _ record: Int) -> [String] {
        var keys = [""]
        for part in parts {
            guard let value = table.value(part.field, record) else { return [] }
            let pieces: [String]
            switch part.transform {
            case .value: pieces = [value]
            case .soundex:
                guard let code = Soundex.code(value) else { return [] }
                pieces = [code]
            case .first(let n):
                guard value.count >= n else { return [] }
                pieces = [String(value.prefix(n))]
            case .last(let n):
                guard value.count >= n else { return [] }
                pieces = [String(value.suffix(n))]
            case .soundexAny(let other):
                let codes = [Soundex.code(value), table.value(other, record).flatMap(Soundex.code)].compactMap { $0 }
                guard !codes.isEmpty else { return [] }
                pieces = codes[0] == codes.last ? [codes[0]] : codes
            }
            keys = keys.flatMap { key in pieces.map { key + $0 + "\u{1F}" } }
        }
        return keys
    }
}

extension BlockingRule.Part {
    /// Whether a rule with this part gives a record two keys.
    var givesTwoKeys: Bool { if case .soundexAny = transform { true } else { false } }
}
