import Foundation

/// How the columns of one CSV file map to lead fields, and the defaults for reading its values.
public struct ImportMapping: Sendable, Equatable, Codable {
    /// Header (as written in the file) → field. Overrides the recognized headers.
    public var columns: [String: LeadColumn]
    /// ISO code of the country whose phone format numbers without `+` are read in, when the row has none.
    public var defaultCountry: String?
    /// Tags added to every imported lead.
    public var tags: [String]

    public init(columns: [String: LeadColumn] = [:], defaultCountry: String? = "US", tags: [String] = []) {
        self.columns = columns
        self.defaultCountry = defaultCountry
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case columns
        case defaultCountry = "default_country"
        case tags
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decodeIfPresent([String: LeadColumn].self, forKey: .columns) ?? [:]
        defaultCountry = try container.decodeIfPresent(String.self, forKey: .defaultCountry) ?? "US"
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
    }

    /// Reads a mapping file, naming the problem when it is not one.
    public static func decode(json: Data) throws(ImportMappingError) -> ImportMapping {
        do {
            return try JSONDecoder().decode(ImportMapping.self, from: json)
        } catch let DecodingError.dataCorrupted(context) {
            throw ImportMappingError(message: "not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ImportMappingError(
                message: "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            let known = LeadColumn.allCases.map(\.rawValue).joined(separator: ", ")
            throw ImportMappingError(message: "unknown field name; use one of: \(known)")
        }
    }

    /// Decides which field each column of `header` holds; unknown columns are kept as custom fields.
    public func resolve(header: [String]) -> [ColumnRole] {
        let overrides = Dictionary(columns.map { (LeadColumn.headerKey($0.key), $0.value) }, uniquingKeysWith: { $1 })
        return header.map { name in
            let key = LeadColumn.headerKey(name)
            if let column = overrides[key] ?? LeadColumn.byHeaderKey[key] { return .field(column) }
            return key.isEmpty ? .field(.ignore) : .custom(name.trimmingWhitespace())
        }
    }
}

/// What one CSV column holds.
public enum ColumnRole: Sendable, Equatable {
    case field(LeadColumn)
    /// A column with no lead field of its own: kept under its header in the lead's custom fields.
    case custom(String)
}

/// A mapping file that cannot be used.
public struct ImportMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "mapping file: \(message)" }
}
