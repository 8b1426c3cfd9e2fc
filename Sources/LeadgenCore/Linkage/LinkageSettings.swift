import Foundation

/// What record linkage compares and how it finds candidates: the fields with their comparison, the
/// blocking rules, and the model's limits. Read from JSON (snake_case keys) and checked as it is read.
public struct LinkageSettings: Sendable {
    public struct Field: Sendable, Equatable, Codable {
        public var name: String
        public var comparison: FieldComparison
        /// Whether agreeing on a common value counts for less than agreeing on a rare one (surnames).
        public var termFrequency: Bool

        public init(_ name: String, _ comparison: FieldComparison, termFrequency: Bool = false) {
            self.name = name
            self.comparison = comparison
            self.termFrequency = termFrequency
        }

        enum CodingKeys: String, CodingKey {
            case name, comparison
            case termFrequency = "term_frequency"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            comparison = try container.decode(FieldComparison.self, forKey: .comparison)
            termFrequency = try container.decodeIfPresent(Bool.self, forKey: .termFrequency) ?? false
        }
    }

    /// At most 16 fields: a comparison vector keeps each field's level in four bits of one 64-bit word.
    public static let maxFields = 16

    /// Two fields a record may have the wrong way round (given name and surname swapped), by position.
    public struct Swap: Sendable, Equatable {
        public var first: Int
        public var second: Int
    }

    public var fields: [Field]
    public var blockingRules: [BlockingRule]
    /// Pairs of fields compared crossed as well as straight; the better way counts.
    public var swaps: [Swap]
    /// Pairs at or above this match probability are the same record.
    public var threshold: Double
    /// A block with more records than this is skipped (its key is too common to tell records apart), so
    /// candidate pairs grow with the records rather than their square.
    public var maxBlockSize: Int
    /// Random pairs compared to estimate how often non-matches agree (u).
    public var randomPairs: Int
    public var maxIterations: Int

    public init(
        fields: [Field], blockingRules: [[String]], swappable: [[String]] = [], threshold: Double = 0.9,
        maxBlockSize: Int = 200, randomPairs: Int = 1_000_000, maxIterations: Int = 50
    ) throws {
        guard (1...Self.maxFields).contains(fields.count) else {
            throw LinkageSettingsError("settings need one to \(Self.maxFields) fields, not \(fields.count)")
        }
        var names = Set<String>()
        for field in fields {
            guard !field.name.isEmpty, field.name.count <= 100 else {
                throw LinkageSettingsError("a field name must have 1 to 100 characters")
            }
            guard names.insert(field.name).inserted else {
                throw LinkageSettingsError("field '\(field.name)' is named twice")
            }
        }
        guard (1...20).contains(blockingRules.count) else {
            throw LinkageSettingsError("settings need one to 20 blocking rules, not \(blockingRules.count)")
        }
        guard threshold > 0, threshold < 1 else { throw LinkageSettingsError("threshold must be between 0 and 1") }
        guard (2...100_000).contains(maxBlockSize) else {
            throw LinkageSettingsError("max_block_size must be from 2 to 100000")
        }
        guard (0...100_000_000).contains(randomPairs) else {
            throw LinkageSettingsError("random_pairs must be from 0 to 100000000")
        }
        guard (1...1000).contains(maxIterations) else {
            throw LinkageSettingsError("max_iterations must be from 1 to 1000")
        }
        guard swappable.count <= 4 else { throw LinkageSettingsError("at most four pairs of swappable fields") }
        swaps = try swappable.map { names in
            let positions = names.compactMap { name in fields.firstIndex { $0.name == name } }
            guard names.count == 2, positions.count == 2, positions[0] != positions[1] else {
                throw LinkageSettingsError("swappable_fields: each entry names two different fields")
            }
            guard fields[positions[0]].comparison == fields[positions[1]].comparison else {
                throw LinkageSettingsError("swappable_fields: '\(names[0])' and '\(names[1])' are compared differently")
            }
            return Swap(first: positions[0], second: positions[1])
        }
        self.fields = fields
        self.blockingRules = try blockingRules.map { try BlockingRule(parts: $0, fields: fields.map(\.name)) }
        self.threshold = threshold
        self.maxBlockSize = maxBlockSize
        self.randomPairs = randomPairs
        self.maxIterations = maxIterations
    }

    /// Settings from their JSON form:
    /// `{"fields": [{"name": "surname", "comparison": "name", "term_frequency": true}, …],
    ///   "blocking_rules": [["soundex(surname)", "first(given_name, 1)"], ["date_of_birth"]],
    ///   "swappable_fields": [["given_name", "surname"]],
    ///   "threshold": 0.9, "max_block_size": 200, "random_pairs": 1000000, "max_iterations": 50}`.
    public init(json: Data) throws {
        struct Written: Decodable {
            var fields: [Field]
            var blocking_rules: [[String]]
            var swappable_fields: [[String]]?
            var threshold: Double?
            var max_block_size: Int?
            var random_pairs: Int?
            var max_iterations: Int?
        }
        let written: Written
        do {
            written = try JSONDecoder().decode(Written.self, from: json)
        } catch let error as DecodingError {
            throw LinkageSettingsError(error.plainDescription)
        }
        try self.init(
            fields: written.fields, blockingRules: written.blocking_rules,
            swappable: written.swappable_fields ?? [], threshold: written.threshold ?? 0.9,
            maxBlockSize: written.max_block_size ?? 200, randomPairs: written.random_pairs ?? 1_000_000,
            maxIterations: written.max_iterations ?? 50)
    }
}

/// Why linkage settings cannot be used, in words that name the setting.
public struct LinkageSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension DecodingError {
    /// What is wrong and where, without Swift's type names: "fields[2].comparison: 'fuzzy' is not one of …".
    var plainDescription: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingPrefix(".").description
        }
        switch self {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "\(at.isEmpty ? "" : at + ": ")missing '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): wrong type"
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            return at.isEmpty ? "not valid JSON" : "\(at): not an accepted value"
        @unknown default:
            return "not valid settings"
        }
    }
}
