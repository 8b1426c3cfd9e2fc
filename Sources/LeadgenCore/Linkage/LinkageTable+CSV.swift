/// Reading a CSV file (with a header row) into a linkage table: the id column and one column per field,
/// found by name.
extension LinkageTable {
    /// Records beyond this are refused: record positions are 32-bit.
    public static let maxRecords = 20_000_000

    /// A record of the file that could not be used, by line.
    public struct Rejection: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Reads every record of `reader` into a table of `fields`. Rows that are not well-formed CSV or have no
    /// id are rejected with their line and the rest are read.
    public static func read(
        _ reader: inout CSVReader, idColumn: String, fields: [LinkageSettings.Field]
    ) throws -> (table: LinkageTable, rejected: [Rejection]) {
        guard let header = try reader.next() else { throw LinkageSettingsError("the file is empty: no header row") }
        let names = header.fields.map { $0.trimmingWhitespace() }
        guard let idIndex = names.firstIndex(of: idColumn) else {
            throw LinkageSettingsError("the file has no id column '\(idColumn.prefix(100))'")
        }
        let columns = try fields.map { field in
            guard let index = names.firstIndex(of: field.name) else {
                throw LinkageSettingsError("the file has no column '\(field.name)' for the settings' field")
            }
            return index
        }
        var table = LinkageTable(fields: fields)
        var rejected: [Rejection] = []
        while let record = try reader.next() {
            if let problem = record.problem {
                rejected.append(Rejection(line: record.line, reason: problem.description))
                continue
            }
            let id = idIndex < record.fields.count ? record.fields[idIndex].trimmingWhitespace() : ""
            guard !id.isEmpty else {
                rejected.append(Rejection(line: record.line, reason: "no value in the id column '\(idColumn)'"))
                continue
            }
            guard table.count < maxRecords else {
                throw LinkageSettingsError("the file has more than \(maxRecords) records")
            }
            table.append(id: id, values: columns.map { $0 < record.fields.count ? record.fields[$0] : nil })
        }
        return (table, rejected)
    }
}
