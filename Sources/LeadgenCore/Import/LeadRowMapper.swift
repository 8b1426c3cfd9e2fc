import Foundation

/// Turns one CSV row into a normalized `LeadInput`, or says precisely why it cannot.
///
/// A row is rejected only when it cannot be read (malformed CSV, too many fields), when its e-mail is not
/// an address, or when nothing in it identifies a person. A value that cannot be normalized in a less
/// critical column (an unknown country, a revenue written as a range) is kept as written in the lead's
/// custom fields, and a phone that cannot be put in E.164 keeps its raw text, so nothing is lost.
public struct LeadRowMapper: Sendable {
    public let header: [String]
    private let roles: [ColumnRole]
    private let mapping: ImportMapping

    public init(header: [String], mapping: ImportMapping = ImportMapping()) {
        self.header = header
        self.mapping = mapping
        roles = mapping.resolve(header: header)
    }

    /// Whether the header names at least one field that identifies people.
    public var recognizesAnyIdentity: Bool {
        let identifying: Set<LeadColumn> = [
            .email, .linkedinURL, .apolloPersonID, .apolloContactID, .firstName, .lastName, .fullName,
        ]
        return roles.contains { if case .field(let column) = $0 { identifying.contains(column) } else { false } }
    }

    public func map(_ record: CSVRecord) -> Result<LeadInput, RowRejection> {
        if let problem = record.problem {
            return .failure(RowRejection(line: record.line, reason: problem.description))
        }
        guard record.fields.count <= header.count else {
            return .failure(
                RowRejection(
                    line: record.line,
                    reason: "row has \(record.fields.count) fields but the header has \(header.count)"))
        }
        var values: [LeadColumn: String] = [:]
        var custom: [String: String] = [:]
        for (index, raw) in record.fields.enumerated() {
            let value = raw.trimmingWhitespace()
            guard !value.isEmpty else { continue }
            switch roles[index] {
            case .field(.ignore): continue
            case .field(let column): values[column] = values[column] ?? value
            case .custom(let name): custom[name] = value
            }
        }
        do throws(RowRejection) {
            var row = LeadValues(values: values, custom: custom, mapping: mapping)
            var input = try row.input()
            input.fields.tags = FieldNormalizer.unique(input.fields.tags + mapping.tags)
            guard input.identifiesAPerson else {
                throw RowRejection(
                    line: 0,
                    reason: "row does not identify a person: it needs an e-mail, a LinkedIn URL, an Apollo id, "
                        + "or a name with a company or phone")
            }
            return .success(input)
        } catch {
            return .failure(RowRejection(line: record.line, reason: error.reason))
        }
    }
}
